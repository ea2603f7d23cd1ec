// The decision table. Each case is data: who acts, what action on which
// resource, under which key policy, identity policies, grants and request
// facts, and the decision expected with what decided it:
//   "allow key#0"              statement 0 of the key policy
//   "allow key#0 id:useAll#0"  statement 0 of identity policy useAll, which key policy statement 0 lets decide
//   "allow grant:g"            grant g ("allow grant:g id:p#0": g names the account, p decides)
//   "allow root"               the account root, on an action that names no key
//   "deny key#2" / "deny id:p#0" explicit denies; "implicit" nothing allows it.
import type { PrincipalName } from './library';
import { KEY, OTHER_KEY } from './library';

/** What a request says about itself (dates as ISO text); `now` is 2026-03-01T12:00:00Z unless given. */
export interface Facts {
  now?: string;
  ec?: Record<string, string>;
  grantOperations?: string[];
  grantConstraints?: { encryptionContextEquals?: Record<string, string>; encryptionContextSubset?: Record<string, string> };
  grantIsForAWSResource?: boolean;
  keySpec?: string;
  keyUsage?: string;
  keyOrigin?: string;
  requestAlias?: string;
  resourceAliases?: string[];
  viaService?: string;
  resourceTags?: Record<string, string>;
  requestTags?: Record<string, string>;
  tagKeys?: string[];
  extra?: Record<string, string | number | boolean | string[]>;
}

export interface Case {
  name: string;
  principal: PrincipalName;
  action: string;
  /** A key policy of the library; "none" for an action that names no key (resource "*"). */
  key: string;
  identity?: string[];
  grants?: string[];
  resource?: string;
  facts?: Facts;
  expect: string;
}

/** Many principals × actions under one set of policies; `identity` gives each principal's identity policies. */
export interface Matrix {
  name: string;
  key: string;
  identity?: Partial<Record<PrincipalName, string[]>>;
  grants?: string[];
  facts?: Facts;
  actions: string[];
  rows: [PrincipalName, ...string[]][];
}

const A0 = 'allow key#0';
const N = 'implicit';

export const MATRICES: Matrix[] = [
  {
    name: 'AWS default key policy: the root may do everything; users what their identity policies allow; other accounts nothing',
    key: 'default',
    identity: { alice: ['useAll'], carol: ['crossUse'], dan: ['admin'] },
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant'],
    rows: [
      ['root', A0, A0, A0, A0, A0],
      ['alice', 'allow key#0 id:useAll#0', 'allow key#0 id:useAll#0', N, N, N],
      ['bob', N, N, N, N, N],
      ['carol', N, N, N, N, N],
      ['dan', N, N, N, N, N],
      ['other', N, N, N, N, N],
    ],
  },
  {
    name: 'AWS console key policy: administrators manage, users use, grants only for AWS resources',
    key: 'console',
    actions: ['kms:DescribeKey', 'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant', 'kms:TagResource'],
    rows: [
      ['root', A0, A0, A0, A0, A0, A0, A0, A0, A0],
      ['alice', 'allow key#1', N, N, N, N, 'allow key#1', 'allow key#1', 'allow key#1', 'allow key#1'],
      ['bob', 'allow key#2', 'allow key#2', 'allow key#2', 'allow key#2', 'allow key#2', N, N, N, N],
      ['carol', N, N, N, N, N, N, N, N, N],
    ],
  },
  {
    name: 'A Deny for "*" binds the root and users with kms:* alike',
    key: 'denyDelete',
    identity: { alice: ['admin'] },
    actions: ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:EnableKey', 'kms:Decrypt'],
    rows: [
      ['root', 'deny key#1', 'deny key#1', 'deny key#1', A0, A0],
      ['alice', 'deny key#1', 'deny key#1', 'deny key#1', 'allow key#0 id:admin#0', 'allow key#0 id:admin#0'],
      ['bob', 'deny key#1', 'deny key#1', 'deny key#1', N, N],
      ['carol', 'deny key#1', 'deny key#1', 'deny key#1', N, N],
    ],
  },
  {
    name: 'NotPrincipal with Deny: only the listed principals (user and account) escape',
    key: 'notPrincipalDeny',
    identity: { alice: ['useAll'] },
    actions: ['kms:Decrypt', 'kms:Encrypt'],
    rows: [
      ['root', A0, A0],
      ['alice', 'allow key#0 id:useAll#0', 'allow key#0 id:useAll#0'],
      ['bob', 'deny key#2', 'allow key#1'],
      ['carol', 'deny key#2', N],
    ],
  },
  {
    name: 'NotAction: everything but the listed actions',
    key: 'notAction',
    actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:DisableKey', 'kms:EnableKey', 'kms:TagResource'],
    rows: [
      ['root', A0, A0, A0, A0, A0, A0, A0],
      ['bob', 'allow key#1', 'allow key#1', N, N, N, 'allow key#1', 'allow key#1'],
      ['alice', N, N, N, N, N, N, N],
    ],
  },
  {
    name: 'Identity policies: a Deny wins, an Allow needs the key policy to let the account decide, and must cover the key',
    key: 'default',
    identity: { alice: ['admin', 'denyDecrypt'], bob: ['otherKeyOnly'], carol: ['admin'] },
    actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey'],
    rows: [
      ['root', A0, A0, A0],
      ['alice', 'deny id:denyDecrypt#0', 'allow key#0 id:admin#0', 'allow key#0 id:admin#0'],
      ['bob', N, N, N],
      ['carol', N, N, N],
    ],
  },
  {
    name: 'AWS: another account named in the key policy delegates to its own identity policies',
    key: 'crossAccount',
    identity: { carol: ['crossUse'] },
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:ScheduleKeyDeletion'],
    rows: [
      ['root', A0, A0, A0, A0],
      ['other', 'allow key#1', 'allow key#1', 'allow key#1', N],
      ['carol', 'allow key#1 id:crossUse#0', 'allow key#1 id:crossUse#0', 'allow key#1 id:crossUse#0', N],
      ['dan', N, N, N, N],
      ['alice', N, N, N, N],
    ],
  },
  {
    name: 'AWS managed key policy, called through EC2',
    key: 'viaService',
    facts: { viaService: 'ec2.us-west-2.amazonaws.com' },
    actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy'],
    rows: [
      ['root', A0, A0, 'allow key#1', N],
      ['alice', A0, A0, 'allow key#1', N],
      ['carol', N, N, N, N],
    ],
  },
  {
    name: 'AWS managed key policy, called directly',
    key: 'viaService',
    actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy'],
    rows: [
      ['root', N, 'allow key#1', 'allow key#1', N],
      ['alice', N, 'allow key#1', 'allow key#1', N],
      ['carol', N, N, N, N],
    ],
  },
  {
    name: 'Grants: to a principal, to an account (its identity policies decide), retired',
    key: 'default',
    identity: { carol: ['crossUse'] },
    grants: ['bobDecrypt', 'aliceRetired', 'otherAccount', 'aliceEncrypt'],
    actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey', 'kms:RetireGrant'],
    rows: [
      ['root', A0, A0, A0, A0],
      ['alice', N, 'allow grant:aliceEncrypt', N, N],
      ['bob', 'allow grant:bobDecrypt', N, N, N],
      ['carol', 'allow grant:otherAccount id:crossUse#0', 'allow grant:otherAccount id:crossUse#0', N, N],
      ['other', 'allow grant:otherAccount', 'allow grant:otherAccount', N, N],
      ['dan', N, N, N, N],
    ],
  },
  {
    name: 'A key policy without the root statement: neither the root nor identity policies reach the key',
    key: 'noRoot',
    identity: { alice: ['admin'] },
    actions: ['kms:Decrypt', 'kms:PutKeyPolicy', 'kms:DescribeKey'],
    rows: [
      ['root', N, N, N],
      ['alice', N, N, N],
      ['bob', 'allow key#0', N, 'allow key#0'],
    ],
  },
];

const bob = (name: string, key: string, facts: Facts | undefined, expect: string, action = 'kms:Decrypt'): Case => ({ name, principal: 'bob', action, key, ...(facts ? { facts } : {}), expect });
const B1 = 'allow key#1';
const viaGrant = (grant: string, name: string, facts: Facts | undefined, expect: string, action = 'kms:Decrypt'): Case => ({ name, principal: 'bob', action, key: 'default', grants: [grant], ...(facts ? { facts } : {}), expect });

export const CASES: Case[] = [
  // kms:EncryptionContext:<key> (AWS example: AppName=ExampleApp)
  bob('the required pair', 'ecAppName', { ec: { AppName: 'ExampleApp' } }, B1),
  bob('the required pair among others', 'ecAppName', { ec: { AppName: 'ExampleApp', FilePath: '/var/data' } }, B1),
  bob('the context key in another case (condition key names ignore case)', 'ecAppName', { ec: { appname: 'ExampleApp' } }, B1),
  bob('the value in another case (values are case-sensitive)', 'ecAppName', { ec: { AppName: 'exampleapp' } }, N),
  bob('another value', 'ecAppName', { ec: { AppName: 'OtherApp' } }, N),
  bob('no encryption context: the key is missing, StringEquals is false', 'ecAppName', undefined, N),
  bob('an empty encryption context', 'ecAppName', { ec: {} }, N),
  bob('the pair, but an action the statement does not cover', 'ecAppName', { ec: { AppName: 'ExampleApp' } }, N, 'kms:Encrypt'),
  // kms:EncryptionContextKeys with ForAnyValue / ForAllValues (AWS examples)
  bob('ForAnyValue: the key is there', 'ecKeysAny', { ec: { AppName: 'x' } }, B1, 'kms:Encrypt'),
  bob('ForAnyValue: the key among others', 'ecKeysAny', { ec: { AppName: 'x', Other: 'y' } }, B1, 'kms:Encrypt'),
  bob('ForAnyValue: only other keys', 'ecKeysAny', { ec: { Other: 'y' } }, N, 'kms:Encrypt'),
  bob('ForAnyValue on an empty set is false', 'ecKeysAny', undefined, N, 'kms:Encrypt'),
  bob('ForAllValues: one allowed key', 'ecKeysAll', { ec: { AppName: 'x' } }, B1),
  bob('ForAllValues: both allowed keys', 'ecKeysAll', { ec: { AppName: 'x', FilePath: 'y' } }, B1),
  bob('ForAllValues: a key not in the list', 'ecKeysAll', { ec: { AppName: 'x', Other: 'y' } }, N),
  bob('ForAllValues on an empty set is true (the documented pitfall)', 'ecKeysAll', undefined, B1),
  bob('ForAllValues with the Null check: no context is refused', 'ecKeysAllGuarded', undefined, N),
  bob('ForAllValues with the Null check: an allowed key', 'ecKeysAllGuarded', { ec: { FilePath: 'y' } }, B1),
  bob('ForAllValues with the Null check: another key', 'ecKeysAllGuarded', { ec: { Other: 'y' } }, N),
  bob('ForAllValues:StringNotEquals: no key named Secret', 'noSecretKey', { ec: { Project: 'a' } }, B1),
  bob('ForAllValues:StringNotEquals: a key named Secret', 'noSecretKey', { ec: { Project: 'a', Secret: 'b' } }, N),
  bob('ForAllValues:StringNotEquals on an empty set is true', 'noSecretKey', undefined, B1),
  bob('ForAnyValue:StringNotLike: one key outside aws:*', 'anyNotAws', { ec: { 'aws:s3:arn': 'a', Project: 'b' } }, B1),
  bob('ForAnyValue:StringNotLike: every key inside aws:*', 'anyNotAws', { ec: { 'aws:s3:arn': 'a' } }, N),
  bob('ForAnyValue:StringNotLike on an empty set is false', 'anyNotAws', undefined, N),
  // Deny when no encryption context is given (AWS example)
  { name: 'Deny without a context binds the root', principal: 'root', action: 'kms:Decrypt', key: 'requireEc', expect: 'deny key#1' },
  { name: 'Deny without a context: an empty one is none', principal: 'root', action: 'kms:Encrypt', key: 'requireEc', facts: { ec: {} }, expect: 'deny key#1' },
  { name: 'Deny without a context: given one, the root is allowed', principal: 'root', action: 'kms:GenerateDataKeyWithoutPlaintext', key: 'requireEc', facts: { ec: { a: 'b' } }, expect: A0 },
  { name: 'Deny without a context binds a user with an identity allow', principal: 'alice', action: 'kms:Encrypt', key: 'requireEc', identity: ['useAll'], expect: 'deny key#1' },
  { name: 'Deny without a context: a user who gives one', principal: 'alice', action: 'kms:Encrypt', key: 'requireEc', identity: ['useAll'], facts: { ec: { a: 'b' } }, expect: 'allow key#0 id:useAll#0' },
  { name: 'Deny without a context does not cover DescribeKey', principal: 'root', action: 'kms:DescribeKey', key: 'requireEc', expect: A0 },
  // IfExists and negated operators on missing keys
  bob('IfExists: the key is missing', 'ifExists', undefined, B1),
  bob('IfExists: the key with the value', 'ifExists', { ec: { Department: 'Finance' } }, B1),
  bob('IfExists: the key with another value', 'ifExists', { ec: { Department: 'HR' } }, N),
  bob('IfExists: other keys only', 'ifExists', { ec: { Project: 'x' } }, B1),
  bob('StringNotEquals: a missing key makes it true', 'notEquals', undefined, B1),
  bob('StringNotEquals: the refused value', 'notEquals', { ec: { Department: 'HR' } }, N),
  bob('StringNotEquals: another value', 'notEquals', { ec: { Department: 'IT' } }, B1),
  bob('StringNotEquals: the refused value in another case is another value', 'notEquals', { ec: { Department: 'hr' } }, B1),
  bob('StringNotEquals with two values (NOR): the second', 'notEqualsMany', { ec: { Department: 'Legal' } }, N),
  bob('StringNotEquals with two values (NOR): neither', 'notEqualsMany', { ec: { Department: 'IT' } }, B1),
  bob('Null false: the key is there', 'requireProject', { ec: { Project: 'x' } }, B1),
  bob('Null false: the key is missing', 'requireProject', { ec: { Other: 'x' } }, N),
  bob('Deny with StringNotEqualsIfExists: a missing key makes the Deny apply', 'denyUnlessViaIfExists', undefined, 'deny key#2'),
  bob('Deny with StringNotEqualsIfExists: through the named service', 'denyUnlessViaIfExists', { viaService: 's3.us-west-2.amazonaws.com' }, B1),
  bob('Deny with StringNotEqualsIfExists: through another service', 'denyUnlessViaIfExists', { viaService: 'ec2.us-west-2.amazonaws.com' }, 'deny key#2'),
  bob('Deny with StringEquals: a missing key leaves the Deny out', 'denyViaEc2', undefined, B1),
  bob('Deny with StringEquals: through the named service', 'denyViaEc2', { viaService: 'ec2.us-west-2.amazonaws.com' }, 'deny key#2'),
  bob('Deny on a context value: given in another case of its key', 'denyHr', { ec: { department: 'HR' } }, 'deny key#2'),
  bob('Deny on a context value: hidden beside a key that differs only by case', 'denyHr', { ec: { Department: 'IT', DEPARTMENT: 'HR' } }, 'deny key#2'),
  bob('Deny on a context value: another value', 'denyHr', { ec: { Department: 'IT' } }, B1),
  // Bool (AWS console statement for grants on AWS resources)
  { name: 'GrantIsForAWSResource true allows CreateGrant', principal: 'bob', action: 'kms:CreateGrant', key: 'console', facts: { grantIsForAWSResource: true, grantOperations: ['Decrypt'] }, expect: 'allow key#3' },
  { name: 'GrantIsForAWSResource true allows ListGrants', principal: 'bob', action: 'kms:ListGrants', key: 'console', facts: { grantIsForAWSResource: true }, expect: 'allow key#3' },
  { name: 'GrantIsForAWSResource true allows RevokeGrant', principal: 'bob', action: 'kms:RevokeGrant', key: 'console', facts: { grantIsForAWSResource: true }, expect: 'allow key#3' },
  { name: 'GrantIsForAWSResource false', principal: 'bob', action: 'kms:CreateGrant', key: 'console', facts: { grantIsForAWSResource: false }, expect: N },
  { name: 'GrantIsForAWSResource missing: Bool is false', principal: 'bob', action: 'kms:ListGrants', key: 'console', expect: N },
  bob('Bool written as a JSON boolean', 'boolLiteral', { grantIsForAWSResource: true }, B1, 'kms:ListGrants'),
  // Numeric
  { name: 'Numeric: a 30-day window', principal: 'alice', action: 'kms:ScheduleKeyDeletion', key: 'deletionWindow', facts: { extra: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 30 } }, expect: 'allow key#1' },
  { name: 'Numeric: exactly 21 days', principal: 'alice', action: 'kms:ScheduleKeyDeletion', key: 'deletionWindow', facts: { extra: { 'kms:ScheduleKeyDeletionPendingWindowInDays': '21' } }, expect: 'allow key#1' },
  { name: 'Numeric: a 7-day window', principal: 'alice', action: 'kms:ScheduleKeyDeletion', key: 'deletionWindow', facts: { extra: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 7 } }, expect: N },
  { name: 'Numeric: the key missing', principal: 'alice', action: 'kms:ScheduleKeyDeletion', key: 'deletionWindow', expect: N },
  { name: 'Numeric: a value that is not a number', principal: 'alice', action: 'kms:ScheduleKeyDeletion', key: 'deletionWindow', facts: { extra: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 'thirty' } }, expect: N },
  { name: 'NumericNotEquals: another period', principal: 'alice', action: 'kms:EnableKeyRotation', key: 'rotationNot', facts: { extra: { 'kms:RotationPeriodInDays': 90 } }, expect: 'allow key#1' },
  { name: 'NumericNotEquals: the refused period', principal: 'alice', action: 'kms:EnableKeyRotation', key: 'rotationNot', facts: { extra: { 'kms:RotationPeriodInDays': 365 } }, expect: N },
  { name: 'NumericNotEquals: the key missing makes it true', principal: 'alice', action: 'kms:EnableKeyRotation', key: 'rotationNot', expect: 'allow key#1' },
  // Dates (aws:CurrentTime)
  bob('inside the window', 'timeWindow', { now: '2026-03-01T12:00:00Z' }, B1),
  bob('before the window', 'timeWindow', { now: '2025-12-31T23:59:59Z' }, N),
  bob('at its start (DateGreaterThan is strict)', 'timeWindow', { now: '2026-01-01T00:00:00Z' }, N),
  bob('after the window', 'timeWindow', { now: '2026-07-01T00:00:00Z' }, N),
  bob('a policy date in seconds since 1970: at it', 'sinceEpoch', { now: '2026-01-01T00:00:00Z' }, B1),
  bob('a policy date in seconds since 1970: before it', 'sinceEpoch', { now: '2025-12-31T23:59:59Z' }, N),
  // ARNs (aws:PrincipalArn)
  bob('ArnLike on the principal: Bob', 'principalArnLike', undefined, 'allow key#0'),
  { name: 'ArnLike on the principal: Alice', principal: 'alice', action: 'kms:Decrypt', key: 'principalArnLike', expect: N },
  { name: 'ArnLike on the principal: the root', principal: 'root', action: 'kms:Decrypt', key: 'principalArnLike', expect: N },
  { name: 'ArnLike on the principal: another account', principal: 'carol', action: 'kms:Decrypt', key: 'principalArnLike', expect: N },
  { name: 'a request cannot name its own principal', principal: 'carol', action: 'kms:Decrypt', key: 'principalArnLike', facts: { extra: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/Bob' } }, expect: N },
  { name: 'ArnNotLike Deny: another account is denied', principal: 'carol', action: 'kms:Decrypt', key: 'onlyOwnAccount', expect: 'deny key#2' },
  { name: 'ArnNotLike Deny: a user of the account is not', principal: 'alice', action: 'kms:Decrypt', key: 'onlyOwnAccount', expect: 'allow key#1' },
  { name: 'ArnEquals on the root ARN', principal: 'root', action: 'kms:PutKeyPolicy', key: 'rootByArnEquals', expect: 'allow key#0' },
  { name: 'ArnEquals on the root ARN: a user', principal: 'alice', action: 'kms:PutKeyPolicy', key: 'rootByArnEquals', expect: N },
  // kms:CallerAccount, tags
  { name: 'ABAC: a key tagged Project=Alpha', principal: 'alice', action: 'kms:Decrypt', key: 'resourceTag', facts: { resourceTags: { Project: 'Alpha' } }, expect: 'allow key#1' },
  { name: 'ABAC: a key tagged Project=Beta', principal: 'alice', action: 'kms:Decrypt', key: 'resourceTag', facts: { resourceTags: { Project: 'Beta' } }, expect: N },
  { name: 'ABAC: an untagged key', principal: 'alice', action: 'kms:Decrypt', key: 'resourceTag', expect: N },
  { name: 'ABAC: another account (kms:CallerAccount)', principal: 'carol', action: 'kms:Decrypt', key: 'resourceTag', facts: { resourceTags: { Project: 'Alpha' } }, expect: N },
  { name: 'a request cannot name its caller account', principal: 'carol', action: 'kms:Decrypt', key: 'resourceTag', facts: { resourceTags: { Project: 'Alpha' }, extra: { 'kms:CallerAccount': '111122223333' } }, expect: N },
  { name: 'Null true on a tag: an untagged key is denied', principal: 'root', action: 'kms:Decrypt', key: 'denyUntagged', expect: 'deny key#1' },
  { name: 'Null true on a tag: a tagged key is not', principal: 'root', action: 'kms:Decrypt', key: 'denyUntagged', facts: { resourceTags: { Owner: 'ops' } }, expect: A0 },
  { name: 'aws:TagKeys and aws:RequestTag: allowed tags', principal: 'alice', action: 'kms:TagResource', key: 'default', identity: ['tagging'], facts: { requestTags: { Project: 'Alpha', Purpose: 'Test' } }, expect: 'allow key#0 id:tagging#0' },
  { name: 'aws:TagKeys: a tag key outside the list', principal: 'alice', action: 'kms:TagResource', key: 'default', identity: ['tagging'], facts: { requestTags: { Project: 'Alpha', Owner: 'x' } }, expect: N },
  { name: 'aws:RequestTag: another project', principal: 'alice', action: 'kms:TagResource', key: 'default', identity: ['tagging'], facts: { requestTags: { Project: 'Beta' } }, expect: N },
  { name: 'aws:TagKeys: the statement covers TagResource only', principal: 'alice', action: 'kms:UntagResource', key: 'default', identity: ['tagging'], facts: { tagKeys: ['Project'] }, expect: N },
  // Aliases
  bob('kms:RequestAlias: a matching alias', 'requestAlias', { requestAlias: 'alias/ProjectAlpha-Prod' }, B1),
  bob('kms:RequestAlias: ? matches one character', 'requestAlias', { requestAlias: 'alias/Test-1' }, B1),
  bob('kms:RequestAlias: ? matches no more than one', 'requestAlias', { requestAlias: 'alias/Test-10' }, N),
  bob('kms:RequestAlias: case matters', 'requestAlias', { requestAlias: 'alias/projectalpha' }, N),
  bob('kms:RequestAlias: the key named by id', 'requestAlias', undefined, N),
  bob('ForAnyValue kms:ResourceAliases: one alias matches', 'resourceAliasesAny', { resourceAliases: ['alias/finance-key', 'alias/other'] }, B1),
  bob('ForAnyValue kms:ResourceAliases: none matches', 'resourceAliasesAny', { resourceAliases: ['alias/other'] }, N),
  bob('ForAnyValue kms:ResourceAliases: no alias', 'resourceAliasesAny', { resourceAliases: [] }, N),
  bob('ForAllValues kms:ResourceAliases: all match', 'resourceAliasesAll', { resourceAliases: ['alias/finance-a', 'alias/finance-b'] }, B1),
  bob('ForAllValues kms:ResourceAliases: one does not', 'resourceAliasesAll', { resourceAliases: ['alias/finance-a', 'alias/other'] }, N),
  bob('ForAllValues kms:ResourceAliases: no alias', 'resourceAliasesAll', undefined, B1),
  // Key properties
  bob('StringEqualsIgnoreCase on kms:KeySpec', 'keySpecIgnoreCase', { keySpec: 'SYMMETRIC_DEFAULT' }, B1, 'kms:DescribeKey'),
  bob('StringEqualsIgnoreCase on kms:KeySpec: another spec', 'keySpecIgnoreCase', { keySpec: 'RSA_2048' }, N, 'kms:DescribeKey'),
  bob('kms:KeyOrigin AWS_KMS', 'keyOrigin', { keyOrigin: 'AWS_KMS' }, B1, 'kms:GenerateDataKey'),
  bob('kms:KeyOrigin EXTERNAL', 'keyOrigin', { keyOrigin: 'EXTERNAL' }, N, 'kms:GenerateDataKey'),
  bob('kms:KeyUsage SIGN_VERIFY', 'keyUsage', { keyUsage: 'SIGN_VERIFY' }, B1, 'kms:Sign'),
  bob('kms:KeyUsage ENCRYPT_DECRYPT', 'keyUsage', { keyUsage: 'ENCRYPT_DECRYPT' }, N, 'kms:Sign'),
  // kms:GrantOperations (AWS example) and its empty-set pitfall
  bob('GrantOperations within the list', 'grantOps', { grantOperations: ['Decrypt'] }, B1, 'kms:CreateGrant'),
  bob('GrantOperations: both listed', 'grantOps', { grantOperations: ['Encrypt', 'Decrypt'] }, B1, 'kms:CreateGrant'),
  bob('GrantOperations: one outside the list', 'grantOps', { grantOperations: ['Decrypt', 'ScheduleKeyDeletion'] }, N, 'kms:CreateGrant'),
  bob('GrantOperations missing: ForAllValues is true', 'grantOps', undefined, B1, 'kms:CreateGrant'),
  bob('GrantOperations missing, with the Null check', 'grantOpsGuarded', undefined, N, 'kms:CreateGrant'),
  bob('GrantOperations within the list, with the Null check', 'grantOpsGuarded', { grantOperations: ['Encrypt'] }, B1, 'kms:CreateGrant'),
  // Resources
  bob('a statement for another key', 'resourceOtherKey', undefined, N),
  bob('a statement for this key by ARN', 'resourceThisKey', undefined, 'allow key#0'),
  bob('a statement for every key of the account', 'resourceAnyKey', undefined, 'allow key#0'),
  bob('a statement for aliases only', 'resourceAliasesOnly', undefined, N),
  bob('NotResource: every key but another one', 'notResourceOther', undefined, 'allow key#0'),
  { name: 'NotResource: the excluded key', principal: 'bob', action: 'kms:Decrypt', key: 'notResourceOther', resource: OTHER_KEY, expect: N },
  { name: 'identity policy for another key', principal: 'alice', action: 'kms:Decrypt', key: 'default', identity: ['otherKeyOnly'], resource: OTHER_KEY, expect: 'allow key#0 id:otherKeyOnly#0' },
  { name: 'identity Deny with NotResource: the one key left', principal: 'alice', action: 'kms:Decrypt', key: 'default', identity: ['admin', 'denyOtherKeys'], resource: KEY, expect: 'allow key#0 id:admin#0' },
  { name: 'identity Deny with NotResource: any other key', principal: 'alice', action: 'kms:Decrypt', key: 'default', identity: ['admin', 'denyOtherKeys'], resource: OTHER_KEY, expect: 'deny id:denyOtherKeys#0' },
  { name: 'identity NotAction: allowed', principal: 'alice', action: 'kms:DisableKey', key: 'default', identity: ['notDelete'], expect: 'allow key#0 id:notDelete#0' },
  { name: 'identity NotAction: the excluded action', principal: 'alice', action: 'kms:ScheduleKeyDeletion', key: 'default', identity: ['notDelete'], expect: N },
  { name: 'identity Deny on a missing context key', principal: 'alice', action: 'kms:Decrypt', key: 'default', identity: ['useAll', 'denyWithoutProject'], expect: 'deny id:denyWithoutProject#0' },
  { name: 'identity Deny on a missing context key: given', principal: 'alice', action: 'kms:Decrypt', key: 'default', identity: ['useAll', 'denyWithoutProject'], facts: { ec: { Project: 'x' } }, expect: 'allow key#0 id:useAll#0' },
  // Actions
  bob('kms:Generate* covers GenerateDataKey', 'actionWildcards', undefined, 'allow key#0', 'kms:GenerateDataKey'),
  bob('kms:Generate* covers GenerateDataKeyPairWithoutPlaintext', 'actionWildcards', undefined, 'allow key#0', 'kms:GenerateDataKeyPairWithoutPlaintext'),
  bob('kms:Generate* covers GenerateMac', 'actionWildcards', undefined, 'allow key#0', 'kms:GenerateMac'),
  bob('kms:*crypt covers Decrypt', 'actionWildcards', undefined, 'allow key#0', 'kms:Decrypt'),
  bob('kms:*crypt covers Encrypt', 'actionWildcards', undefined, 'allow key#0', 'kms:Encrypt'),
  bob('kms:*crypt does not cover ReEncryptFrom', 'actionWildcards', undefined, N, 'kms:ReEncryptFrom'),
  bob('kms:Describe?ey covers DescribeKey', 'actionWildcards', undefined, 'allow key#0', 'kms:DescribeKey'),
  bob('no pattern covers Sign', 'actionWildcards', undefined, N, 'kms:Sign'),
  bob('actions ignore case', 'actionCase', undefined, 'allow key#0', 'kms:Decrypt'),
  bob('"*" covers every action of every service', 'everything', undefined, 'allow key#0', 'kms:PutKeyPolicy'),
  { name: '"*" as principal covers another account', principal: 'carol', action: 'kms:ScheduleKeyDeletion', key: 'everything', expect: 'allow key#0' },
  bob('one statement object, no Version', 'singleStatement', undefined, 'allow key#0'),
  { name: 'a service principal is no Strongroom caller', principal: 'alice', action: 'kms:Decrypt', key: 'serviceOnly', expect: N },
  { name: 'a principal named by ARN in another account', principal: 'carol', action: 'kms:Decrypt', key: 'crossAccountUser', expect: 'allow key#1' },
  { name: 'a principal named by ARN: another user of that account', principal: 'dan', action: 'kms:Decrypt', key: 'crossAccountUser', identity: ['admin'], expect: N },
  { name: 'NotPrincipal naming the user alone: AWS denies the user too', principal: 'alice', action: 'kms:Decrypt', key: 'notPrincipalUserOnly', identity: ['admin'], expect: 'deny key#1' },
  { name: 'NotPrincipal naming a user alone: the root is denied too', principal: 'root', action: 'kms:Decrypt', key: 'notPrincipalUserOnly', expect: 'deny key#1' },
  { name: 'NotPrincipal with the account: the root escapes', principal: 'root', action: 'kms:Decrypt', key: 'notPrincipalDeny', expect: A0 },
  // Grants: constraints (keys ignore case, values do not), retirement, precedence
  viaGrant('subsetIT', 'subset constraint: the pair', { ec: { Department: 'IT' } }, 'allow grant:subsetIT'),
  viaGrant('subsetIT', 'subset constraint: the pair among others', { ec: { Department: 'IT', Project: 'A' } }, 'allow grant:subsetIT'),
  viaGrant('subsetIT', 'subset constraint: the key in another case', { ec: { department: 'IT' } }, 'allow grant:subsetIT'),
  viaGrant('subsetIT', 'subset constraint: the value in another case', { ec: { Department: 'it' } }, N),
  viaGrant('subsetIT', 'subset constraint: no context', undefined, N),
  viaGrant('subsetIT', 'subset constraint: other pairs only', { ec: { Project: 'A' } }, N),
  viaGrant('equalsITAlpha', 'equals constraint: the same pairs', { ec: { Department: 'IT', Project: 'Alpha' } }, 'allow grant:equalsITAlpha'),
  viaGrant('equalsITAlpha', 'equals constraint: the same pairs in another order', { ec: { Project: 'Alpha', Department: 'IT' } }, 'allow grant:equalsITAlpha'),
  viaGrant('equalsITAlpha', 'equals constraint: keys in another case', { ec: { department: 'IT', PROJECT: 'Alpha' } }, 'allow grant:equalsITAlpha'),
  viaGrant('equalsITAlpha', 'equals constraint: fewer pairs', { ec: { Department: 'IT' } }, N),
  viaGrant('equalsITAlpha', 'equals constraint: more pairs', { ec: { Department: 'IT', Project: 'Alpha', Extra: 'x' } }, N),
  viaGrant('equalsITAlpha', 'equals constraint: a value in another case', { ec: { Department: 'IT', Project: 'alpha' } }, N),
  viaGrant('describeConstrained', 'a constraint does not apply to DescribeKey', undefined, 'allow grant:describeConstrained', 'kms:DescribeKey'),
  viaGrant('describeConstrained', 'a constraint applies to Decrypt on the same grant', undefined, N, 'kms:Decrypt'),
  viaGrant('emptyConstraint', 'an empty constraint is no constraint', undefined, 'allow grant:emptyConstraint'),
  viaGrant('bobSign', 'a grant for Sign (no encryption context)', undefined, 'allow grant:bobSign', 'kms:Sign'),
  viaGrant('bobDecrypt', 'a grant does not cover operations it does not list', undefined, N, 'kms:Encrypt'),
  { name: 'a retired grant allows nothing', principal: 'alice', action: 'kms:Decrypt', key: 'default', grants: ['aliceRetired'], expect: N },
  { name: 'a grant for Bob does nothing for Alice', principal: 'alice', action: 'kms:Decrypt', key: 'default', grants: ['bobDecrypt'], expect: N },
  { name: 'a key policy Deny beats a grant', principal: 'bob', action: 'kms:Decrypt', key: 'denyDecryptBob', grants: ['bobDecrypt'], expect: 'deny key#1' },
  { name: 'an identity Deny beats a grant', principal: 'bob', action: 'kms:Decrypt', key: 'default', identity: ['denyDecrypt'], grants: ['bobDecrypt'], expect: 'deny id:denyDecrypt#0' },
  { name: 'a grant works under a key policy that does not name the grantee', principal: 'alice', action: 'kms:Encrypt', key: 'noRoot', grants: ['aliceEncrypt'], expect: 'allow grant:aliceEncrypt' },
  { name: 'a grant to the own account: the root', principal: 'root', action: 'kms:Decrypt', key: 'noRoot', grants: ['ownAccount'], expect: 'allow grant:ownAccount' },
  { name: 'a grant to the own account: a user with an identity allow', principal: 'alice', action: 'kms:Decrypt', key: 'noRoot', identity: ['useAll'], grants: ['ownAccount'], expect: 'allow grant:ownAccount id:useAll#0' },
  { name: 'a grant to the own account: a user without one', principal: 'alice', action: 'kms:Decrypt', key: 'noRoot', grants: ['ownAccount'], expect: N },
  { name: 'grants do not reach actions that name no key', principal: 'bob', action: 'kms:CreateKey', key: 'none', grants: ['bobDecrypt'], expect: N },
  // CreateGrant through a grant: only its own operations, constraints at least as strict
  { name: 'CreateGrant by grant: same operations and constraint', principal: 'bob', action: 'kms:CreateGrant', key: 'default', grants: ['createConstrained'], facts: { grantOperations: ['Decrypt'], grantConstraints: { encryptionContextSubset: { Department: 'IT' } } }, expect: 'allow grant:createConstrained' },
  { name: 'CreateGrant by grant: a stricter subset', principal: 'bob', action: 'kms:CreateGrant', key: 'default', grants: ['createConstrained'], facts: { grantOperations: ['Decrypt'], grantConstraints: { encryptionContextSubset: { Department: 'IT', Project: 'A' } } }, expect: 'allow grant:createConstrained' },
  { name: 'CreateGrant by grant: an equals that includes the subset', principal: 'bob', action: 'kms:CreateGrant', key: 'default', grants: ['createConstrained'], facts: { grantOperations: ['Encrypt'], grantConstraints: { encryptionContextEquals: { Department: 'IT' } } }, expect: 'allow grant:createConstrained' },
  { name: 'CreateGrant by grant: no constraint escapes it', principal: 'bob', action: 'kms:CreateGrant', key: 'default', grants: ['createConstrained'], facts: { grantOperations: ['Decrypt'] }, expect: N },
  { name: 'CreateGrant by grant: another constraint value', principal: 'bob', action: 'kms:CreateGrant', key: 'default', grants: ['createConstrained'], facts: { grantOperations: ['Decrypt'], grantConstraints: { encryptionContextSubset: { Department: 'HR' } } }, expect: N },
  { name: 'CreateGrant by grant: an operation the grant lacks', principal: 'bob', action: 'kms:CreateGrant', key: 'default', grants: ['createConstrained'], facts: { grantOperations: ['Decrypt', 'Sign'], grantConstraints: { encryptionContextSubset: { Department: 'IT' } } }, expect: N },
  { name: 'CreateGrant by grant: operations not given', principal: 'bob', action: 'kms:CreateGrant', key: 'default', grants: ['createConstrained'], facts: { grantConstraints: { encryptionContextSubset: { Department: 'IT' } } }, expect: N },
  { name: 'CreateGrant by an equals grant: the same equals', principal: 'bob', action: 'kms:CreateGrant', key: 'default', grants: ['createEquals'], facts: { grantOperations: ['Decrypt'], grantConstraints: { encryptionContextEquals: { department: 'IT' } } }, expect: 'allow grant:createEquals' },
  { name: 'CreateGrant by an equals grant: a subset is looser', principal: 'bob', action: 'kms:CreateGrant', key: 'default', grants: ['createEquals'], facts: { grantOperations: ['Decrypt'], grantConstraints: { encryptionContextSubset: { Department: 'IT' } } }, expect: N },
  // Actions that name no key: identity policies alone (AWS example: CreateKey only for RSA_4096)
  { name: 'the root creates keys', principal: 'root', action: 'kms:CreateKey', key: 'none', expect: 'allow root' },
  { name: 'the root generates random bytes', principal: 'root', action: 'kms:GenerateRandom', key: 'none', expect: 'allow root' },
  { name: 'CreateKey for RSA_4096', principal: 'alice', action: 'kms:CreateKey', key: 'none', identity: ['createRsa'], facts: { keySpec: 'RSA_4096' }, expect: 'allow id:createRsa#0' },
  { name: 'CreateKey for another spec', principal: 'alice', action: 'kms:CreateKey', key: 'none', identity: ['createRsa'], facts: { keySpec: 'SYMMETRIC_DEFAULT' }, expect: N },
  { name: 'CreateKey without an identity policy', principal: 'bob', action: 'kms:CreateKey', key: 'none', expect: N },
  { name: 'CreateKey denied by an identity policy over kms:*', principal: 'alice', action: 'kms:CreateKey', key: 'none', identity: ['admin', 'denyCreate'], expect: 'deny id:denyCreate#0' },
  { name: 'ListKeys allowed by an identity policy', principal: 'alice', action: 'kms:ListKeys', key: 'none', identity: ['listKeys'], expect: 'allow id:listKeys#0' },
  { name: 'ListKeys: a statement for keys does not cover "*"', principal: 'alice', action: 'kms:ListKeys', key: 'none', identity: ['allOnKeys'], expect: N },
  { name: 'a statement for keys covers them', principal: 'alice', action: 'kms:ScheduleKeyDeletion', key: 'default', identity: ['allOnKeys'], expect: 'allow key#0 id:allOnKeys#0' },
  { name: 'ListAliases with kms:*', principal: 'carol', action: 'kms:ListAliases', key: 'none', identity: ['admin'], expect: 'allow id:admin#0' },
];
