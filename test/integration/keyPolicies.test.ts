import { describe, expect, it } from 'vitest';
import { exportAuditLog } from '../../src-main/audit/verify';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { b64, call, errorText, failure, newKey } from '../helpers/kms';
import { freshVaultForEachTest, PIN } from '../helpers/vault';

let vault: Vault;
freshVaultForEachTest((made) => {
  vault = made;
});

const root = (): string => `arn:aws:iam::${vault.record.accountId}:root`;

/** A key policy of `statements`, with one that keeps the key manageable by the account root (the lockout check asks for it). */
function policyWith(...statements: Record<string, unknown>[]): string {
  const manage = { Sid: 'Manage', Effect: 'Allow', Principal: { AWS: root() }, Action: 'kms:*', Resource: '*' };
  return JSON.stringify({ Version: '2012-10-17', Statement: [manage, ...statements] });
}

const encrypt = (keyId: string, context?: Record<string, string>): string => failure(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('payroll'), ...(context === undefined ? {} : { EncryptionContext: context }) });

describe('key policies', () => {
  it('a new key has AWS’s default policy, named default, as GetKeyPolicy and ListKeyPolicies give it', () => {
    const keyId = newKey(vault);
    const got = call(vault, 'GetKeyPolicy', { KeyId: keyId });
    expect(got.PolicyName).toBe('default');
    expect(JSON.parse(got.Policy ?? '')).toEqual({
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: root() }, Action: 'kms:*', Resource: '*' }],
    });
    expect(call(vault, 'ListKeyPolicies', { KeyId: keyId })).toMatchObject({ PolicyNames: ['default'], Truncated: false });
    expect(failure(vault, 'GetKeyPolicy', { KeyId: keyId, PolicyName: 'other' })).toMatch(/^NotFoundException: .*one policy is "default"/);
  });

  it('an explicit Deny with a condition on the encryption context refuses the account root, and the refusal is recorded with the reason', () => {
    const keyId = newKey(vault);
    const deny = { Sid: 'OnlyPayroll', Effect: 'Deny', Principal: '*', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringNotEquals: { 'kms:EncryptionContext:purpose': 'payroll' } } };
    call(vault, 'PutKeyPolicy', { KeyId: keyId, Policy: policyWith(deny) });
    expect(encrypt(keyId, { purpose: 'payroll' })).toBe('no error');
    const refused = encrypt(keyId, { purpose: 'marketing' });
    expect(refused).toMatch(new RegExp(`^AccessDeniedException: User: ${root()} is not authorized to perform: kms:Encrypt on resource: arn:aws:kms:\\S+:key/${keyId} with an explicit deny\\. Explicitly denied by statement 1 \\(Sid "OnlyPayroll"\\) of the key policy\\.$`));
    expect(encrypt(keyId)).toMatch(/^AccessDeniedException: .*explicit deny/);
    // The policy text is kept as given.
    expect(call(vault, 'GetKeyPolicy', { KeyId: keyId }).Policy).toBe(policyWith(deny));
    vault.audit.flush();
    const last = [...exportAuditLog(vault.db)].map((line) => JSON.parse(line) as Record<string, unknown>).filter((r) => r.errorCode === 'AccessDeniedException').at(-1);
    expect(last).toMatchObject({ eventName: 'Encrypt', errorMessage: expect.stringContaining('Sid "OnlyPayroll"') as unknown });
  });

  it('conditions on the key’s tags and on the alias the request names, read only when a policy asks for them', () => {
    const keyId = newKey(vault);
    call(vault, 'CreateAlias', { AliasName: 'alias/payroll', TargetKeyId: keyId });
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Manage', Effect: 'Allow', Principal: { AWS: root() }, Action: 'kms:*', Resource: '*' },
        { Sid: 'ByAliasOnly', Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { 'ForAnyValue:StringNotEquals': { 'kms:RequestAlias': 'alias/payroll' } } },
        { Sid: 'TaggedOnly', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:ResourceTag/team': 'finance' }, Null: { 'aws:ResourceTag/team': 'false' } } },
      ],
    });
    call(vault, 'PutKeyPolicy', { KeyId: keyId, Policy: policy });
    expect(encrypt('alias/payroll')).toBe('no error');
    expect(encrypt(keyId)).toBe('no error'); // no alias named: ForAnyValue over no values does not match
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: 'alias/payroll', Plaintext: b64('x') });
    expect(failure(vault, 'Decrypt', { CiphertextBlob })).toBe('no error'); // untagged: the Null condition does not hold
    call(vault, 'TagResource', { KeyId: keyId, Tags: [{ TagKey: 'team', TagValue: 'sales' }] });
    expect(failure(vault, 'Decrypt', { CiphertextBlob })).toMatch(/^AccessDeniedException: .*Sid "TaggedOnly"/);
    call(vault, 'TagResource', { KeyId: keyId, Tags: [{ TagKey: 'team', TagValue: 'finance' }] });
    expect(failure(vault, 'Decrypt', { CiphertextBlob })).toBe('no error');
  });

  it('the lockout safety check refuses a policy that would stop the caller changing it, unless bypassed; a malformed or oversized one changes nothing', () => {
    const keyId = newKey(vault);
    const before = call(vault, 'GetKeyPolicy', { KeyId: keyId }).Policy;
    const useOnly = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: root() }, Action: ['kms:Encrypt', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy2'], Resource: '*' }] });
    expect(failure(vault, 'PutKeyPolicy', { KeyId: keyId, Policy: useOnly })).toMatch(/^MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy/);
    expect(failure(vault, 'PutKeyPolicy', { KeyId: keyId, Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*"}]}' })).toMatch(/^MalformedPolicyDocumentException: /);
    expect(failure(vault, 'PutKeyPolicy', { KeyId: keyId, Policy: policyWith({ Sid: 'x'.repeat(33_000), Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' }) })).toMatch(/^LimitExceededException: .*32768 bytes/);
    expect(call(vault, 'GetKeyPolicy', { KeyId: keyId }).Policy).toBe(before);

    call(vault, 'PutKeyPolicy', { KeyId: keyId, Policy: useOnly, BypassPolicyLockoutSafetyCheck: true });
    expect(encrypt(keyId)).toBe('no error');
    expect(failure(vault, 'PutKeyPolicy', { KeyId: keyId, Policy: before })).toMatch(/^AccessDeniedException: .*kms:PutKeyPolicy .*because no policy or grant allows it/);
    expect(failure(vault, 'DisableKey', { KeyId: keyId })).toMatch(/^AccessDeniedException: /);
  });

  it('CreateKey takes a Policy, checked before the key exists: a refused one leaves no key', () => {
    const keys = (): number => call(vault, 'ListKeys', {}).Keys?.length ?? 0;
    const count = keys();
    expect(failure(vault, 'CreateKey', { Policy: '{"Statement":' })).toMatch(/^MalformedPolicyDocumentException: This policy contains invalid Json/);
    expect(failure(vault, 'CreateKey', { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] }) })).toMatch(/^MalformedPolicyDocumentException: The new key policy will not allow/);
    expect(keys()).toBe(count);
    const deny = { Sid: 'NoDecrypt', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };
    const keyId = call(vault, 'CreateKey', { Policy: policyWith(deny) }).KeyMetadata?.KeyId ?? '';
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('sealed for good') });
    expect(failure(vault, 'Decrypt', { CiphertextBlob })).toMatch(/^AccessDeniedException: .*Sid "NoDecrypt"/);
  });

  it('a policy lives on across a lock; one changed or removed outside Strongroom is TamperedVaultException', () => {
    const keyId = newKey(vault);
    const deny = { Sid: 'NoEncrypt', Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*' };
    call(vault, 'PutKeyPolicy', { KeyId: keyId, Policy: policyWith(deny) });
    vault.lock();
    vault.unlock(PIN);
    expect(encrypt(keyId)).toMatch(/^AccessDeniedException: /);

    // A tampered row is found when the key is used, and the vault locks itself.
    vault.db.prepare('UPDATE key_policies SET document = ? WHERE key_id = ?').run(policyWith(), keyId);
    vault.lock();
    vault.unlock(PIN);
    expect(encrypt(keyId)).toMatch(/^TamperedVaultException: .*key policy of key/);
    expect(vault.isUnlocked).toBe(false);
    vault.unlock(PIN);
    vault.db.prepare('DELETE FROM key_policies WHERE key_id = ?').run(keyId);
    expect(encrypt(keyId)).toMatch(/^TamperedVaultException: .*key policy of key .* is missing/);
    // Removing the mark that every key has a policy (so that a first unlock would give them the default) breaks the vault's seal.
    vault.db.prepare("DELETE FROM settings WHERE name = 'key_policies'").run();
    expect(errorText(() => { vault.unlock(PIN); })).toMatch(/^TamperedVaultException: /);
  });
});
