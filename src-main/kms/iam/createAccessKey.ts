import { declare } from '../pipeline/declaration';
import { accessKeyShape, targetUserName, userResource } from './users';

/**
 * CreateAccessKey: a new access key for a user (at most two each), Active;
 * its secret is in this response only, and the audit record leaves it out.
 */
export const createAccessKey = declare({
  name: 'CreateAccessKey',
  action: 'iam:CreateAccessKey',
  kind: 'change',
  resource: (ctx, request) => userResource(ctx, request.UserName),
  recordedResponse: ({ AccessKey }) => ({ AccessKey: { ...AccessKey, SecretAccessKey: 'HIDDEN_DUE_TO_SECURITY_REASONS' } }),
  handler: (ctx, request) => {
    const { row, secretAccessKey } = ctx.vault.users.createAccessKey(ctx.unlocked.rootKey.value, targetUserName(ctx, request.UserName));
    return { AccessKey: { ...accessKeyShape(row), SecretAccessKey: secretAccessKey } };
  },
});
