/**
 * The key policy AWS KMS gives a key created without one: a single
 * statement that lets the account decide, so the account root may do
 * everything with the key and the account's users what their identity
 * policies allow. The text is laid out as AWS's GetKeyPolicy returns it.
 */

/** The name of a key's one policy. */
export const KEY_POLICY_NAME = 'default';

/** The default key policy of a key in account `accountId`, as JSON text. */
export function defaultKeyPolicy(accountId: string, partition = 'aws'): string {
  return [
    '{',
    '  "Version" : "2012-10-17",',
    '  "Id" : "key-default-1",',
    '  "Statement" : [ {',
    '    "Sid" : "Enable IAM User Permissions",',
    '    "Effect" : "Allow",',
    '    "Principal" : {',
    `      "AWS" : "arn:${partition}:iam::${accountId}:root"`,
    '    },',
    '    "Action" : "kms:*",',
    '    "Resource" : "*"',
    '  } ]',
    '}',
  ].join('\n');
}
