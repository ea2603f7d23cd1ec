// Policy evaluation alone: a ten-statement key policy with conditions, the
// deciding statement last, next to a no-op and the cipher Encrypt uses.
import { createCipheriv, randomBytes } from 'node:crypto';
import type { Principal } from '../../src-shared/caller';
import type { OperationName } from '../../src-shared/kms/shapes.generated';
import { evaluate } from '../../src-main/policy/evaluate';
import { parsePolicy } from '../../src-main/policy/parse';
import { compare } from './measure';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:local:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const user = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:user/${name}`;

/** Ten statements: Denies that do not apply, Allows for others or with conditions that fail, and the Allow of `encrypter` (Bob, by default) last. */
export function tenStatements(account = ACCOUNT, encrypter = user('Bob')): string {
  return JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Root', Effect: 'Allow', Principal: { AWS: user('Admin', account) }, Action: 'kms:*', Resource: '*' },
    { Sid: 'NoDeletion', Effect: 'Deny', Principal: '*', Action: ['kms:ScheduleKeyDeletion', 'kms:Disable*'], Resource: '*' },
    { Sid: 'RequireContext', Effect: 'Deny', Principal: '*', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { Null: { 'kms:EncryptionContextKeys': 'true' } } },
    { Sid: 'NoOtherAccounts', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'kms:CallerAccount': account } } },
    { Sid: 'Admins', Effect: 'Allow', Principal: { AWS: [user('Alice', account), user('Carol', account)] }, Action: ['kms:Create*', 'kms:Describe*', 'kms:Put*', 'kms:Update*'], Resource: '*' },
    { Sid: 'ThroughEc2', Effect: 'Allow', Principal: '*', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'ec2.local.amazonaws.com' } } },
    { Sid: 'Tagged', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/Project': 'Alpha' } } },
    { Sid: 'Window', Effect: 'Allow', Principal: { AWS: user('Dan', account) }, Action: 'kms:Encrypt', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } },
    { Sid: 'Grants', Effect: 'Allow', Principal: { AWS: user('Bob', account) }, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
    { Sid: 'BobEncrypts', Effect: 'Allow', Principal: { AWS: encrypter }, Action: ['kms:Encrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { StringLike: { 'kms:EncryptionContext:Department': ['Fin*', 'IT'] }, 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Department', 'Project'] } } },
  ],
  });
}

/** Prints the cost of one evaluation, next to a no-op and to one createCipheriv. */
export function benchPolicyEvaluation(): void {
  const keyPolicy = parsePolicy(tenStatements(), 'key');
  const principal: Principal = { type: 'User', accountId: ACCOUNT, arn: user('Bob') };
  const facts = { now: new Date(), encryptionContext: { Department: 'Finance', Project: 'Alpha' } };
  const decide = () => evaluate({ principal, action: 'kms:Encrypt', resource: KEY, keyPolicy, facts });
  if (decide().effect !== 'Allow') throw new Error('the bench policy should allow Bob to encrypt');
  const key = randomBytes(32);
  const payload = randomBytes(32);
  const cipher = () => {
    const c = createCipheriv('aes-256-gcm', key, randomBytes(12));
    return Buffer.concat([c.update(payload), c.final(), c.getAuthTag()]);
  };
  console.log('\nKey policy evaluation (ten statements with conditions, the deciding one last):');
  compare('evaluate', decide, { 'no-op': () => undefined, createCipheriv: cipher }, { ms: 200 });
}

type Kms = (name: OperationName, request: unknown) => unknown;

/** Prints Encrypt as the account root under the ten-statement key policy (its Allow last), next to Encrypt under the default key policy. */
export function benchEncryptUnderPolicy(kms: Kms, settle: () => void, accountId: string): void {
  const keyOf = (request: Record<string, unknown>): string => (kms('CreateKey', request) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  const plain = keyOf({});
  const guarded = keyOf({ Policy: tenStatements(accountId, `arn:aws:iam::${accountId}:root`), BypassPolicyLockoutSafetyCheck: true });
  const request = (KeyId: string) => ({ KeyId, Plaintext: randomBytes(32).toString('base64'), EncryptionContext: { Department: 'Finance', Project: 'Alpha' } });
  console.log('\nEncrypt as the account root under a ten-statement key policy with conditions (its Allow last), next to the default key policy:');
  compare('Encrypt, ten-statement policy', () => kms('Encrypt', request(guarded)), { 'Encrypt, default policy': () => kms('Encrypt', request(plain)) }, { settle });
}
