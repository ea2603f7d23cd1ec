import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AccessKeyCredentials, Caller } from '../../src-shared/caller';
import type { IamOperationName } from '../../src-shared/iam/operations';
import type { CoreOperationName } from '../../src-shared/kms/extensions';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { authenticate } from '../../src-main/kms/pipeline/authenticate';
import { invoke } from '../../src-main/kms/pipeline/invoke';
import { b64, call, errorText, newKey } from '../helpers/kms';
import { freshVaultForEachTest, PIN } from '../helpers/vault';

let vault: Vault;
freshVaultForEachTest((made) => {
  vault = made;
});

type Result = Record<string, unknown>;
/** An IAM operation as the account root. */
const iam = (operation: IamOperationName, request: Result): Result => call(vault, operation, request);
/** A new user with a new access key. */
function userWithKey(userName: string): AccessKeyCredentials & { arn: string } {
  const { User } = iam('CreateUser', { UserName: userName }) as { User: { Arn: string } };
  const { AccessKey } = iam('CreateAccessKey', { UserName: userName }) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
  return { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey, arn: User.Arn };
}
const callerOf = (credentials: AccessKeyCredentials): Caller => authenticate(vault, credentials, 'cli', 'Encrypt');
/** `operation` called with an access key: 'no error' or the error's text. */
const as = (credentials: AccessKeyCredentials, operation: CoreOperationName, request: Result): string => errorText(() => invoke(vault, callerOf(credentials), operation, request));
const policy = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
/** The CloudTrail records of the log, newest first. */
const records = (): Result[] => call(vault, 'LookupEvents', { limit: 50 }).records;

describe('IAM users and access keys', () => {
  it('are made, described and listed in IAM shapes; a name is taken in any case; the secret is shown once, stored only wrapped, and left out of the audit log', () => {
    const { User } = iam('CreateUser', { UserName: 'Ana', Path: '/ops/' }) as { User: Result };
    expect(User).toMatchObject({ UserName: 'Ana', Path: '/ops/', Arn: `arn:aws:iam::${vault.record.accountId}:user/ops/Ana` });
    expect(User.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(errorText(() => iam('CreateUser', { UserName: 'ANA' }))).toBe('EntityAlreadyExistsException: User with name Ana already exists.');
    expect(errorText(() => iam('CreateUser', { UserName: 'no spaces' }))).toMatch(/^ValidationException: .*'userName'/);

    const { AccessKey } = iam('CreateAccessKey', { UserName: 'ana' }) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string; Status: string; UserName: string } };
    expect(AccessKey.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(AccessKey.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(AccessKey).toMatchObject({ Status: 'Active', UserName: 'Ana' });
    const listed = iam('ListAccessKeys', { UserName: 'Ana' }) as { AccessKeyMetadata: Result[] };
    expect(listed.AccessKeyMetadata).toEqual([{ UserName: 'Ana', AccessKeyId: AccessKey.AccessKeyId, Status: 'Active', CreateDate: expect.any(Number) as number }]);

    vault.audit.flush();
    const file = readFileSync(vault.files.db);
    expect(file.includes(Buffer.from(AccessKey.SecretAccessKey))).toBe(false);
    expect(JSON.stringify(records())).not.toContain(AccessKey.SecretAccessKey);
    const created = records().find((r) => r.eventName === 'CreateAccessKey');
    expect(created).toMatchObject({ eventSource: 'iam.amazonaws.com', responseElements: { accessKey: { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: 'HIDDEN_DUE_TO_SECURITY_REASONS' } } });

    iam('CreateAccessKey', { UserName: 'Ana' });
    expect(errorText(() => iam('CreateAccessKey', { UserName: 'Ana' }))).toMatch(/^LimitExceededException: Cannot exceed quota for AccessKeysPerUser: 2/);
    expect(errorText(() => iam('CreateAccessKey', {}))).toMatch(/^ValidationException: The account root has no access keys/);
  });

  it('authenticate an access key only with its secret while Active; refusals are recorded with the key; a key made Inactive or deleted stops at once', () => {
    const ana = userWithKey('ana');
    const caller = callerOf(ana);
    expect(caller.principal).toMatchObject({ type: 'User', arn: ana.arn });
    expect(errorText(() => callerOf({ ...ana, secretAccessKey: `${ana.secretAccessKey.slice(0, -1)}A` }))).toMatch(/^InvalidSignatureException: /);
    expect(errorText(() => callerOf({ accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: ana.secretAccessKey }))).toMatch(/^UnrecognizedClientException: The security token included in the request is invalid/);
    expect(records()[0]).toMatchObject({ eventName: 'Encrypt', errorCode: 'UnrecognizedClientException', userIdentity: { type: 'Unknown', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA' } });

    const keyId = newKey(vault);
    iam('PutUserPolicy', { UserName: 'ana', PolicyName: 'use', PolicyDocument: policy({ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }) });
    expect(errorText(() => invoke(vault, caller, 'Encrypt', { KeyId: keyId, Plaintext: b64('x') }))).toBe('no error');
    iam('UpdateAccessKey', { UserName: 'ana', AccessKeyId: ana.accessKeyId, Status: 'Inactive' });
    expect(errorText(() => invoke(vault, caller, 'Encrypt', { KeyId: keyId, Plaintext: b64('x') }))).toMatch(/^UnrecognizedClientException: .*deleted or made Inactive/);
    expect(errorText(() => callerOf(ana))).toMatch(/^UnrecognizedClientException: .*is Inactive/);
    iam('UpdateAccessKey', { UserName: 'ana', AccessKeyId: ana.accessKeyId, Status: 'Active' });
    expect(as(ana, 'Encrypt', { KeyId: keyId, Plaintext: b64('x') })).toBe('no error');
    iam('DeleteAccessKey', { UserName: 'ana', AccessKeyId: ana.accessKeyId });
    expect(errorText(() => invoke(vault, caller, 'Encrypt', { KeyId: keyId, Plaintext: b64('x') }))).toMatch(/^UnrecognizedClientException: /);
    expect(errorText(() => iam('DeleteAccessKey', { UserName: 'ana', AccessKeyId: ana.accessKeyId }))).toMatch(/^NoSuchEntityException: /);
  });

  it("are allowed what their identity policies allow where the key policy lets the account decide; an identity policy's Deny beats a key policy's Allow", () => {
    const bob = userWithKey('bob');
    const keyId = newKey(vault);
    const encrypt = { KeyId: keyId, Plaintext: b64('x') };
    expect(as(bob, 'Encrypt', encrypt)).toMatch(/^AccessDeniedException: User: arn:aws:iam::\d+:user\/bob is not authorized to perform: kms:Encrypt on resource: arn:aws:kms:.* because no policy or grant allows it/);
    iam('PutUserPolicy', { UserName: 'bob', PolicyName: 'finance', PolicyDocument: policy({ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:dept': 'finance' } } }) });
    expect(as(bob, 'Encrypt', encrypt)).toMatch(/^AccessDeniedException: /);
    expect(as(bob, 'Encrypt', { ...encrypt, EncryptionContext: { dept: 'finance' } })).toBe('no error');
    expect(as(bob, 'CreateKey', {})).toMatch(/^AccessDeniedException: .*kms:CreateKey on resource: \*/);

    // The key policy names bob directly, and his own policy denies: the Deny wins.
    call(vault, 'PutKeyPolicy', { KeyId: keyId, Policy: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${vault.record.accountId}:root` }, Action: 'kms:*', Resource: '*' }, { Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 'kms:Encrypt', Resource: '*' }) });
    expect(as(bob, 'Encrypt', encrypt)).toBe('no error');
    iam('PutUserPolicy', { UserName: 'bob', PolicyName: 'never', PolicyDocument: policy({ Effect: 'Deny', Action: 'kms:Encrypt', Resource: '*' }) });
    expect(as(bob, 'Encrypt', encrypt)).toMatch(/^AccessDeniedException: .*with an explicit deny\. Explicitly denied by statement 0 of identity policy "never"/);
    expect((iam('ListUserPolicies', { UserName: 'bob' }) as { PolicyNames: string[] }).PolicyNames).toEqual(['finance', 'never']);
    expect(iam('GetUserPolicy', { UserName: 'bob', PolicyName: 'never' })).toMatchObject({ UserName: 'bob', PolicyName: 'never' });
    iam('DeleteUserPolicy', { UserName: 'bob', PolicyName: 'never' });
    expect(as(bob, 'Encrypt', encrypt)).toBe('no error');

    expect(errorText(() => iam('PutUserPolicy', { UserName: 'bob', PolicyName: 'bad', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*"}]}' }))).toMatch(/^MalformedPolicyDocumentException: .*Resource/);
    expect(errorText(() => iam('PutUserPolicy', { UserName: 'bob', PolicyName: 'big', PolicyDocument: policy(...Array.from({ length: 40 }, (_, i) => ({ Sid: `S${String(i)}`, Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }))) }))).toMatch(/^LimitExceededException: Maximum policy size of 2048 characters exceeded for user bob/);
    expect(errorText(() => iam('GetUserPolicy', { UserName: 'bob', PolicyName: 'never' }))).toMatch(/^NoSuchEntityException: /);
  });

  it("pass the policy lockout check through their identity policies, where the key policy lets the account decide", () => {
    const admin = userWithKey('keyadmin');
    iam('PutUserPolicy', { UserName: 'keyadmin', PolicyName: 'all', PolicyDocument: policy({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }) });
    const accountOnly = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${vault.record.accountId}:root` }, Action: 'kms:*', Resource: '*' });
    expect(as(admin, 'CreateKey', { Policy: accountOnly })).toBe('no error');
    const keyId = newKey(vault);
    expect(as(admin, 'PutKeyPolicy', { KeyId: keyId, Policy: accountOnly })).toBe('no error');
    expect(as(admin, 'PutKeyPolicy', { KeyId: keyId, Policy: policy({ Effect: 'Allow', Principal: { AWS: admin.arn }, Action: 'kms:Encrypt', Resource: '*' }) })).toMatch(/^MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy/);
  });

  it('manage users only as their identity policies allow, on the users they name', () => {
    const admin = userWithKey('admin');
    expect(as(admin, 'CreateUser', { UserName: 'carol' })).toMatch(/^AccessDeniedException: .*iam:CreateUser on resource: arn:aws:iam::\d+:user\/carol/);
    iam('PutUserPolicy', { UserName: 'admin', PolicyName: 'teams', PolicyDocument: policy({ Effect: 'Allow', Action: ['iam:CreateUser', 'iam:GetUser'], Resource: `arn:aws:iam::${vault.record.accountId}:user/teams/*` }) });
    expect(as(admin, 'CreateUser', { UserName: 'carol' })).toMatch(/^AccessDeniedException: /);
    expect(as(admin, 'CreateUser', { UserName: 'carol', Path: '/teams/' })).toBe('no error');
    expect(as(admin, 'GetUser', {})).toMatch(/^AccessDeniedException: .*iam:GetUser on resource: arn:aws:iam::\d+:user\/admin/);
    expect(records()[1]).toMatchObject({ eventName: 'CreateUser', eventSource: 'iam.amazonaws.com', userIdentity: { type: 'IAMUser', userName: 'admin', arn: admin.arn, accessKeyId: admin.accessKeyId, principalId: expect.stringMatching(/^AIDA/) as string } });
  });

  it('are deleted only without access keys and policies, listed by name a page at a time under a path, and simulated in IAM shape', () => {
    userWithKey('dave');
    iam('PutUserPolicy', { UserName: 'dave', PolicyName: 'p', PolicyDocument: policy({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }) });
    expect(errorText(() => iam('DeleteUser', { UserName: 'dave' }))).toMatch(/^DeleteConflictException: Cannot delete entity, must delete access keys first/);
    const [key] = (iam('ListAccessKeys', { UserName: 'dave' }) as { AccessKeyMetadata: { AccessKeyId: string }[] }).AccessKeyMetadata;
    iam('DeleteAccessKey', { UserName: 'dave', AccessKeyId: key?.AccessKeyId });
    expect(errorText(() => iam('DeleteUser', { UserName: 'dave' }))).toMatch(/^DeleteConflictException: .*must delete policies first/);

    const keyId = newKey(vault);
    const simulated = iam('SimulatePrincipalPolicy', {
      PolicySourceArn: `arn:aws:iam::${vault.record.accountId}:user/dave`,
      ActionNames: ['kms:Decrypt', 'kms:Encrypt'],
      ResourceArns: [`arn:aws:kms:${vault.record.region}:${vault.record.accountId}:key/${keyId}`],
    }) as { EvaluationResults: Result[]; IsTruncated: boolean };
    expect(simulated.IsTruncated).toBe(false);
    expect(simulated.EvaluationResults.map((r) => [r.EvalActionName, r.EvalDecision, r.MatchedStatements])).toEqual([
      ['kms:Decrypt', 'allowed', [{ SourcePolicyId: 'p', SourcePolicyType: 'user' }]],
      ['kms:Encrypt', 'implicitDeny', []],
    ]);

    iam('DeleteUserPolicy', { UserName: 'dave', PolicyName: 'p' });
    iam('DeleteUser', { UserName: 'dave' });
    expect(errorText(() => iam('GetUser', { UserName: 'dave' }))).toBe('NoSuchEntityException: The user with name dave cannot be found.');

    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) iam('CreateUser', { UserName: name, Path: name === 'u5' ? '/other/' : '/' });
    const first = iam('ListUsers', { MaxItems: 2 }) as { Users: { UserName: string }[]; IsTruncated: boolean; Marker: string };
    expect([first.Users.map((u) => u.UserName), first.IsTruncated]).toEqual([['u1', 'u2'], true]);
    const rest = iam('ListUsers', { Marker: first.Marker }) as { Users: { UserName: string }[]; IsTruncated: boolean };
    expect([rest.Users.map((u) => u.UserName), rest.IsTruncated]).toEqual([['u3', 'u4', 'u5'], false]);
    expect((iam('ListUsers', { PathPrefix: '/other/' }) as { Users: { UserName: string }[] }).Users.map((u) => u.UserName)).toEqual(['u5']);
  });

  it("rows changed outside Strongroom are TamperedVaultException: an access key's status, a user's policies", () => {
    const erin = userWithKey('erin');
    iam('UpdateAccessKey', { UserName: 'erin', AccessKeyId: erin.accessKeyId, Status: 'Inactive' });
    vault.db.prepare("UPDATE iam_access_keys SET status = 'Active'").run();
    expect(errorText(() => callerOf(erin))).toMatch(/^TamperedVaultException: .*access key/);
    vault.unlock(PIN);
    vault.db.prepare('UPDATE iam_users SET policies = ?').run(JSON.stringify({ all: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }));
    expect(errorText(() => iam('ListUserPolicies', { UserName: 'erin' }))).toMatch(/^TamperedVaultException: .*user erin/);
  });
});
