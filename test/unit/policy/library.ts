// Principals, policies and grants the decision table refers to by name.
// Policies marked "AWS:" follow examples in the AWS KMS Developer Guide
// (default key policy, key policy statements, condition keys) and the IAM
// User Guide (condition operators, multivalued keys); account 111122223333
// and key 1234abcd-… are the ones those guides use.
import type { GrantInput } from '../../../src-main/policy/grants';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const KEY = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const OTHER_KEY = 'arn:aws:kms:us-west-2:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321';

const ROOT_ARN = `arn:aws:iam::${ACCOUNT}:root`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/Alice`;
const BOB = `arn:aws:iam::${ACCOUNT}:user/Bob`;
const CAROL = `arn:aws:iam::${OTHER_ACCOUNT}:user/Carol`;

/** Who acts: the two account roots and users in each account. */
export const PRINCIPALS = {
  root: { type: 'Root', accountId: ACCOUNT, arn: ROOT_ARN },
  alice: { type: 'User', accountId: ACCOUNT, arn: ALICE },
  bob: { type: 'User', accountId: ACCOUNT, arn: BOB },
  carol: { type: 'User', accountId: OTHER_ACCOUNT, arn: CAROL },
  dan: { type: 'User', accountId: OTHER_ACCOUNT, arn: `arn:aws:iam::${OTHER_ACCOUNT}:user/Dan` },
  other: { type: 'Root', accountId: OTHER_ACCOUNT, arn: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
} as const;
export type PrincipalName = keyof typeof PRINCIPALS;

const V = '2012-10-17';
const rootStatement = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: ROOT_ARN }, Action: 'kms:*', Resource: '*' };
const allowBob = (Action: string | string[], Condition?: object) => ({ Sid: 'AllowBob', Effect: 'Allow', Principal: { AWS: BOB }, Action, Resource: '*', ...(Condition ? { Condition } : {}) });

/** Key policies by name ("default" is the one defaultKeyPolicy gives). */
export const KEY_POLICIES: Readonly<Record<string, object>> = {
  // AWS: the policy the console gives, with Alice as key administrator and Bob as key user.
  console: {
    Version: V,
    Id: 'key-consolepolicy-3',
    Statement: [
      rootStatement,
      {
        Sid: 'Allow access for Key Administrators',
        Effect: 'Allow',
        Principal: { AWS: ALICE },
        Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'],
        Resource: '*',
      },
      { Sid: 'Allow use of the key', Effect: 'Allow', Principal: { AWS: [BOB] }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' },
      { Sid: 'Allow attachment of persistent resources', Effect: 'Allow', Principal: { AWS: BOB }, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
    ],
  },
  // A policy without the root statement: the account root loses access and identity policies have no effect.
  noRoot: { Version: V, Statement: [allowBob(['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'])] },
  // Nobody, the root included, may delete or disable the key.
  denyDelete: { Version: V, Statement: [rootStatement, { Sid: 'DenyDeletion', Effect: 'Deny', Principal: '*', Action: ['kms:ScheduleKeyDeletion', 'kms:Disable*'], Resource: '*' }] },
  // AWS (IAM guide, NotPrincipal with Deny): everyone but Alice and the account is denied Decrypt; both her ARN and the account are listed.
  notPrincipalDeny: {
    Version: V,
    Statement: [rootStatement, allowBob(['kms:Encrypt', 'kms:Decrypt']), { Sid: 'OnlyAliceDecrypts', Effect: 'Deny', NotPrincipal: { AWS: [ALICE, ROOT_ARN] }, Action: 'kms:Decrypt', Resource: '*' }],
  },
  // The same without the account: AWS then denies Alice too.
  notPrincipalUserOnly: { Version: V, Statement: [rootStatement, { Sid: 'OnlyAlice', Effect: 'Deny', NotPrincipal: { AWS: ALICE }, Action: 'kms:Decrypt', Resource: '*' }] },
  denyPolicyChanges: { Version: V, Statement: [rootStatement, { Sid: 'Frozen', Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' }] },
  notAction: { Version: V, Statement: [rootStatement, { Sid: 'AllButDangerous', Effect: 'Allow', Principal: { AWS: BOB }, NotAction: ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:Disable*'], Resource: '*' }] },
  // AWS (kms:EncryptionContext:context-key): Decrypt only with AppName=ExampleApp.
  ecAppName: { Version: V, Statement: [rootStatement, allowBob('kms:Decrypt', { StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' } })] },
  // AWS (kms:EncryptionContextKeys): the context must include the key AppName.
  ecKeysAny: { Version: V, Statement: [rootStatement, allowBob(['kms:Encrypt', 'kms:Decrypt'], { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'AppName' } })] },
  // AWS (kms:EncryptionContextKeys): only AppName and FilePath; without a Null check an empty context passes too.
  ecKeysAll: { Version: V, Statement: [rootStatement, allowBob(['kms:Encrypt', 'kms:Decrypt'], { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['AppName', 'FilePath'] } })] },
  // AWS: the same, with the Null check that requires an encryption context.
  ecKeysAllGuarded: {
    Version: V,
    Statement: [rootStatement, allowBob(['kms:Encrypt', 'kms:Decrypt'], { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['AppName', 'FilePath'] }, Null: { 'kms:EncryptionContextKeys': 'false' } })],
  },
  // AWS: deny cryptographic operations that give no encryption context.
  requireEc: { Version: V, Statement: [rootStatement, { Sid: 'RequireContext', Effect: 'Deny', Principal: '*', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { Null: { 'kms:EncryptionContextKeys': 'true' } } }] },
  // AWS: the policy of an AWS managed key: anyone in the account, through one service; reading without it.
  viaService: {
    Version: V,
    Id: 'auto-ebs-2',
    Statement: [
      {
        Sid: 'Allow access through EBS for all principals in the account that are authorized to use EBS',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } },
      },
      { Sid: 'Allow direct access to key metadata to the account', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } },
    ],
  },
  // AWS (allowing users in other accounts): the other account, which then delegates through its identity policies.
  crossAccount: { Version: V, Statement: [rootStatement, { Sid: 'AllowOtherAccount', Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }] },
  crossAccountUser: { Version: V, Statement: [rootStatement, { Sid: 'AllowCarol', Effect: 'Allow', Principal: { AWS: CAROL }, Action: 'kms:Decrypt', Resource: '*' }] },
  principalArnLike: { Version: V, Statement: [{ Sid: 'UsersNamedB', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/B*` } } }] },
  onlyOwnAccount: {
    Version: V,
    Statement: [rootStatement, { Sid: 'AnyoneMayTry', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }, { Sid: 'NoOtherAccounts', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:*` } } }],
  },
  rootByArnEquals: { Version: V, Statement: [{ Sid: 'RootOnly', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': ROOT_ARN } } }] },
  timeWindow: {
    Version: V,
    Statement: [rootStatement, allowBob('kms:Decrypt', { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' }, DateLessThan: { 'aws:CurrentTime': '2026-06-30T23:59:59Z' } })],
  },
  // 1767225600 is 2026-01-01T00:00:00Z in seconds since 1970.
  sinceEpoch: { Version: V, Statement: [rootStatement, allowBob('kms:Decrypt', { DateGreaterThanEquals: { 'aws:CurrentTime': '1767225600' } })] },
  // AWS (ABAC, aws:ResourceTag): keys tagged Project=Alpha, for callers of this account.
  resourceTag: { Version: V, Statement: [rootStatement, { Sid: 'ProjectAlpha', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/Project': 'Alpha', 'kms:CallerAccount': ACCOUNT } } }] },
  denyUntagged: { Version: V, Statement: [rootStatement, { Sid: 'DenyWithoutOwner', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { Null: { 'aws:ResourceTag/Owner': 'true' } } }] },
  // AWS (kms:RequestAlias): only when the request names the key by one of these aliases.
  requestAlias: { Version: V, Statement: [rootStatement, allowBob('kms:Decrypt', { StringLike: { 'kms:RequestAlias': ['alias/ProjectAlpha*', 'alias/Test-?'] } })] },
  // AWS (kms:ResourceAliases): keys with an alias that starts alias/finance.
  resourceAliasesAny: { Version: V, Statement: [rootStatement, allowBob('kms:Decrypt', { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/finance*' } })] },
  resourceAliasesAll: { Version: V, Statement: [rootStatement, allowBob('kms:Decrypt', { 'ForAllValues:StringLike': { 'kms:ResourceAliases': 'alias/finance*' } })] },
  // AWS (kms:GrantOperations): grants for Encrypt and Decrypt only.
  grantOps: { Version: V, Statement: [rootStatement, allowBob('kms:CreateGrant', { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'Encrypt'] } })] },
  grantOpsGuarded: { Version: V, Statement: [rootStatement, allowBob('kms:CreateGrant', { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'Encrypt'] }, Null: { 'kms:GrantOperations': 'false' } })] },
  keySpecIgnoreCase: { Version: V, Statement: [rootStatement, allowBob('kms:DescribeKey', { StringEqualsIgnoreCase: { 'kms:KeySpec': 'symmetric_default' } })] },
  // AWS (kms:KeyOrigin): data keys only from keys whose material KMS made.
  keyOrigin: { Version: V, Statement: [rootStatement, allowBob('kms:GenerateDataKey', { StringEquals: { 'kms:KeyOrigin': 'AWS_KMS' } })] },
  keyUsage: { Version: V, Statement: [rootStatement, allowBob('kms:Sign', { StringEquals: { 'kms:KeyUsage': 'SIGN_VERIFY' } })] },
  ifExists: { Version: V, Statement: [rootStatement, allowBob('kms:Decrypt', { StringEqualsIfExists: { 'kms:EncryptionContext:Department': 'Finance' } })] },
  notEquals: { Version: V, Statement: [rootStatement, allowBob('kms:Decrypt', { StringNotEquals: { 'kms:EncryptionContext:Department': 'HR' } })] },
  notEqualsMany: { Version: V, Statement: [rootStatement, allowBob('kms:Decrypt', { StringNotEquals: { 'kms:EncryptionContext:Department': ['HR', 'Legal'] } })] },
  noSecretKey: { Version: V, Statement: [rootStatement, allowBob('kms:Decrypt', { 'ForAllValues:StringNotEquals': { 'kms:EncryptionContextKeys': 'Secret' } })] },
  anyNotAws: { Version: V, Statement: [rootStatement, allowBob('kms:Decrypt', { 'ForAnyValue:StringNotLike': { 'kms:EncryptionContextKeys': 'aws:*' } })] },
  requireProject: { Version: V, Statement: [rootStatement, allowBob('kms:Decrypt', { Null: { 'kms:EncryptionContext:Project': 'false' } })] },
  denyUnlessViaIfExists: {
    Version: V,
    Statement: [rootStatement, allowBob('kms:Decrypt'), { Sid: 'OnlyThroughS3', Effect: 'Deny', Principal: { AWS: BOB }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringNotEqualsIfExists: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' } } }],
  },
  denyViaEc2: { Version: V, Statement: [rootStatement, allowBob('kms:Decrypt'), { Sid: 'NotThroughEc2', Effect: 'Deny', Principal: { AWS: BOB }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } } }] },
  denyHr: { Version: V, Statement: [rootStatement, allowBob('kms:Decrypt'), { Sid: 'NoHr', Effect: 'Deny', Principal: { AWS: BOB }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'HR' } } }] },
  denyDecryptBob: { Version: V, Statement: [rootStatement, { Sid: 'NoDecryptForBob', Effect: 'Deny', Principal: { AWS: BOB }, Action: 'kms:Decrypt', Resource: '*' }] },
  deletionWindow: { Version: V, Statement: [rootStatement, { Sid: 'LongWindows', Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:ScheduleKeyDeletion', Resource: '*', Condition: { NumericGreaterThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 21 } } }] },
  rotationNot: { Version: V, Statement: [rootStatement, { Sid: 'NotYearly', Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:EnableKeyRotation', Resource: '*', Condition: { NumericNotEquals: { 'kms:RotationPeriodInDays': '365' } } }] },
  boolLiteral: { Version: V, Statement: [rootStatement, allowBob('kms:ListGrants', { Bool: { 'kms:GrantIsForAWSResource': true } })] },
  resourceOtherKey: { Version: V, Statement: [{ ...allowBob('kms:Decrypt'), Resource: OTHER_KEY }] },
  resourceThisKey: { Version: V, Statement: [{ ...allowBob('kms:Decrypt'), Resource: KEY }] },
  resourceAnyKey: { Version: V, Statement: [{ ...allowBob('kms:Decrypt'), Resource: `arn:aws:kms:us-west-2:${ACCOUNT}:key/*` }] },
  resourceAliasesOnly: { Version: V, Statement: [{ ...allowBob('kms:Decrypt'), Resource: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/*` }] },
  notResourceOther: { Version: V, Statement: [{ ...allowBob('kms:Decrypt'), NotResource: OTHER_KEY, Resource: undefined }] },
  actionWildcards: { Version: V, Statement: [allowBob(['kms:Generate*', 'kms:*crypt', 'kms:Describe?ey'])] },
  actionCase: { Version: V, Statement: [allowBob('KMS:decrypt')] },
  everything: { Version: V, Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] },
  // Statement as one object rather than a list, and no Version (2008-10-17).
  singleStatement: { Statement: allowBob('kms:Decrypt') },
  serviceOnly: { Version: V, Statement: [rootStatement, { Sid: 'Service', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' }] },
};

const keysOf = (account: string) => `arn:aws:kms:*:${account}:key/*`;

/** Identity policies by name. */
export const IDENTITY_POLICIES: Readonly<Record<string, object>> = {
  useAll: { Version: V, Statement: [{ Sid: 'UseKeys', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'], Resource: keysOf(ACCOUNT) }] },
  allOnKeys: { Version: V, Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: keysOf(ACCOUNT) }] },
  admin: { Version: V, Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] },
  denyDecrypt: { Version: V, Statement: [{ Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }] },
  denyCreate: { Version: V, Statement: [{ Effect: 'Deny', Action: 'kms:CreateKey', Resource: '*' }] },
  // AWS (kms:KeySpec): CreateKey only for RSA_4096 keys.
  createRsa: { Version: V, Statement: [{ Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: { StringEquals: { 'kms:KeySpec': 'RSA_4096' } } }] },
  listKeys: { Version: V, Statement: [{ Effect: 'Allow', Action: ['kms:ListKeys', 'kms:ListAliases'], Resource: '*' }] },
  otherKeyOnly: { Version: V, Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: OTHER_KEY }] },
  crossUse: { Version: V, Statement: [{ Sid: 'UseTheirKey', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: KEY }] },
  // AWS (aws:TagKeys, aws:RequestTag): tag keys only with these tag keys, and Project only Alpha.
  tagging: {
    Version: V,
    Statement: [{ Sid: 'TagAlpha', Effect: 'Allow', Action: 'kms:TagResource', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['Purpose', 'Project'] }, StringEquals: { 'aws:RequestTag/Project': 'Alpha' } } }],
  },
  denyOtherKeys: { Version: V, Statement: [{ Effect: 'Deny', Action: 'kms:*', NotResource: KEY }] },
  notDelete: { Version: V, Statement: [{ Effect: 'Allow', NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' }] },
  denyWithoutProject: { Version: V, Statement: [{ Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*', Condition: { Null: { 'kms:EncryptionContext:Project': 'true' } } }] },
};

/** Grants by id. */
export const GRANTS: Readonly<Record<string, GrantInput>> = {
  bobDecrypt: { grantId: 'bobDecrypt', granteePrincipal: BOB, operations: ['Decrypt'] },
  aliceEncrypt: { grantId: 'aliceEncrypt', granteePrincipal: ALICE, operations: ['Encrypt'] },
  aliceRetired: { grantId: 'aliceRetired', granteePrincipal: ALICE, operations: ['Decrypt'], retired: true },
  otherAccount: { grantId: 'otherAccount', granteePrincipal: `arn:aws:iam::${OTHER_ACCOUNT}:root`, operations: ['Encrypt', 'Decrypt'] },
  ownAccount: { grantId: 'ownAccount', granteePrincipal: ROOT_ARN, operations: ['Decrypt'] },
  subsetIT: { grantId: 'subsetIT', granteePrincipal: BOB, operations: ['Encrypt', 'Decrypt'], constraints: { encryptionContextSubset: { Department: 'IT' } } },
  equalsITAlpha: { grantId: 'equalsITAlpha', granteePrincipal: BOB, operations: ['Decrypt'], constraints: { encryptionContextEquals: { Department: 'IT', Project: 'Alpha' } } },
  describeConstrained: { grantId: 'describeConstrained', granteePrincipal: BOB, operations: ['DescribeKey', 'Decrypt'], constraints: { encryptionContextSubset: { Department: 'IT' } } },
  createConstrained: { grantId: 'createConstrained', granteePrincipal: BOB, operations: ['CreateGrant', 'Decrypt', 'Encrypt'], constraints: { encryptionContextSubset: { Department: 'IT' } } },
  createEquals: { grantId: 'createEquals', granteePrincipal: BOB, operations: ['CreateGrant', 'Decrypt'], constraints: { encryptionContextEquals: { Department: 'IT' } } },
  emptyConstraint: { grantId: 'emptyConstraint', granteePrincipal: BOB, operations: ['Decrypt'], constraints: { encryptionContextEquals: {} } },
  bobSign: { grantId: 'bobSign', granteePrincipal: BOB, operations: ['Sign', 'Verify', 'GetPublicKey'] },
};
