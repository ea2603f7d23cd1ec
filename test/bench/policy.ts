// Policy evaluation alone: a ten-statement key policy with conditions, the
// deciding statement last, next to a no-op and the cipher Encrypt uses.
import { createCipheriv, randomBytes } from 'node:crypto';
import type { Principal } from '../../src-shared/caller';
import { evaluate } from '../../src-main/policy/evaluate';
import { parsePolicy } from '../../src-main/policy/parse';
import { compare } from './measure';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:local:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const user = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

/** Ten statements: Denies that do not apply, Allows for others or with conditions that fail, and Bob's Allow last. */
export const TEN_STATEMENTS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Root', Effect: 'Allow', Principal: { AWS: user('Admin') }, Action: 'kms:*', Resource: '*' },
    { Sid: 'NoDeletion', Effect: 'Deny', Principal: '*', Action: ['kms:ScheduleKeyDeletion', 'kms:Disable*'], Resource: '*' },
    { Sid: 'RequireContext', Effect: 'Deny', Principal: '*', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { Null: { 'kms:EncryptionContextKeys': 'true' } } },
    { Sid: 'NoOtherAccounts', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'kms:CallerAccount': ACCOUNT } } },
    { Sid: 'Admins', Effect: 'Allow', Principal: { AWS: [user('Alice'), user('Carol')] }, Action: ['kms:Create*', 'kms:Describe*', 'kms:Put*', 'kms:Update*'], Resource: '*' },
    { Sid: 'ThroughEc2', Effect: 'Allow', Principal: '*', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'ec2.local.amazonaws.com' } } },
    { Sid: 'Tagged', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/Project': 'Alpha' } } },
    { Sid: 'Window', Effect: 'Allow', Principal: { AWS: user('Dan') }, Action: 'kms:Encrypt', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } },
    { Sid: 'Grants', Effect: 'Allow', Principal: { AWS: user('Bob') }, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
    { Sid: 'BobEncrypts', Effect: 'Allow', Principal: { AWS: user('Bob') }, Action: ['kms:Encrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { StringLike: { 'kms:EncryptionContext:Department': ['Fin*', 'IT'] }, 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Department', 'Project'] } } },
  ],
});

/** Prints the cost of one evaluation, next to a no-op and to one createCipheriv. */
export function benchPolicyEvaluation(): void {
  const keyPolicy = parsePolicy(TEN_STATEMENTS, 'key');
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
