import { z } from 'zod';

/**
 * The subset of AWS IAM that Strongroom speaks, in IAM's own operation
 * names, members and limits: users, their access keys and inline identity
 * policies, and the policy simulator. Timestamps are seconds since the
 * epoch, as in the KMS shapes.
 */

const userName = z.string().min(1).max(64).regex(/^[\w+=,.@-]+$/, 'a user name: letters, digits and + = , . @ _ -');
const path = z.string().min(1).max(512).regex(/^(\/|\/[\u0021-\u007E]+\/)$/, 'a path: "/" or one that starts and ends with "/"');
const policyName = z.string().min(1).max(128).regex(/^[\w+=,.@-]+$/, 'a policy name: letters, digits and + = , . @ _ -');
const policyDocument = z.string().min(1).max(131_072);
const accessKeyId = z.string().min(16).max(128).regex(/^\w+$/, 'an access key id (AKIA…)');
const marker = z.string().min(1).max(320);
const maxItems = z.number().int().min(1).max(1000);
const status = z.enum(['Active', 'Inactive']);
const page = { IsTruncated: z.boolean(), Marker: z.string().optional() };

const User = z.strictObject({ Path: z.string(), UserName: z.string(), UserId: z.string(), Arn: z.string(), CreateDate: z.number() });
const AccessKeyMetadata = z.strictObject({ UserName: z.string(), AccessKeyId: z.string(), Status: status, CreateDate: z.number() });
const empty = z.strictObject({});

export const IAM_OPERATIONS = {
  CreateUser: {
    input: z.strictObject({ UserName: userName, Path: path.optional() }),
    output: z.strictObject({ User }),
  },
  DeleteUser: { input: z.strictObject({ UserName: userName }), output: empty },
  GetUser: { input: z.strictObject({ UserName: userName.optional() }), output: z.strictObject({ User }) },
  ListUsers: {
    input: z.strictObject({ PathPrefix: path.optional(), Marker: marker.optional(), MaxItems: maxItems.optional() }),
    output: z.strictObject({ Users: z.array(User), ...page }),
  },
  CreateAccessKey: {
    input: z.strictObject({ UserName: userName.optional() }),
    output: z.strictObject({ AccessKey: z.strictObject({ UserName: z.string(), AccessKeyId: z.string(), Status: status, SecretAccessKey: z.string(), CreateDate: z.number() }) }),
  },
  DeleteAccessKey: { input: z.strictObject({ UserName: userName.optional(), AccessKeyId: accessKeyId }), output: empty },
  ListAccessKeys: {
    input: z.strictObject({ UserName: userName.optional(), Marker: marker.optional(), MaxItems: maxItems.optional() }),
    output: z.strictObject({ AccessKeyMetadata: z.array(AccessKeyMetadata), ...page }),
  },
  UpdateAccessKey: { input: z.strictObject({ UserName: userName.optional(), AccessKeyId: accessKeyId, Status: status }), output: empty },
  PutUserPolicy: { input: z.strictObject({ UserName: userName, PolicyName: policyName, PolicyDocument: policyDocument }), output: empty },
  GetUserPolicy: {
    input: z.strictObject({ UserName: userName, PolicyName: policyName }),
    output: z.strictObject({ UserName: z.string(), PolicyName: z.string(), PolicyDocument: z.string() }),
  },
  DeleteUserPolicy: { input: z.strictObject({ UserName: userName, PolicyName: policyName }), output: empty },
  ListUserPolicies: {
    input: z.strictObject({ UserName: userName, Marker: marker.optional(), MaxItems: maxItems.optional() }),
    output: z.strictObject({ PolicyNames: z.array(z.string()), ...page }),
  },
  SimulatePrincipalPolicy: {
    input: z.strictObject({
      PolicySourceArn: z.string().regex(/^arn:aws:iam::\d{12}:(root|user\/[\w+=,.@/-]+)$/, 'the ARN of the account root or of a user'),
      ActionNames: z.array(z.string().regex(/^kms:[A-Za-z]+$/, 'a KMS action, e.g. kms:Decrypt')).min(1).max(100),
      ResourceArns: z.array(z.string().min(1).max(2048)).min(1).max(100).optional(),
      ContextEntries: z
        .array(z.strictObject({ ContextKeyName: z.string().min(5).max(256), ContextKeyValues: z.array(z.string().max(1024)).max(50), ContextKeyType: z.enum(['string', 'stringList']) }))
        .max(50)
        .optional(),
      MaxItems: maxItems.optional(),
      Marker: marker.optional(),
    }),
    output: z.strictObject({
      EvaluationResults: z.array(
        z.strictObject({
          EvalActionName: z.string(),
          EvalResourceName: z.string(),
          EvalDecision: z.enum(['allowed', 'explicitDeny', 'implicitDeny']),
          MatchedStatements: z.array(z.strictObject({ SourcePolicyId: z.string(), SourcePolicyType: z.enum(['user', 'resource', 'none']) })),
          MissingContextValues: z.array(z.string()),
          /** Strongroom's own: the sentence that says why, and the grant that decided, when one did. */
          Reason: z.string(),
          GrantId: z.string().optional(),
        }),
      ),
      ...page,
    }),
  },
} as const;

/** The name of an IAM operation Strongroom runs. */
export type IamOperationName = keyof typeof IAM_OPERATIONS;

/** The names of IAM's operations, for the audit log's event source. */
export const IAM_OPERATION_NAMES: ReadonlySet<string> = new Set(Object.keys(IAM_OPERATIONS));

/** Response members that are timestamps. */
export const IAM_TIMESTAMP_MEMBERS: ReadonlySet<string> = new Set(['CreateDate']);
