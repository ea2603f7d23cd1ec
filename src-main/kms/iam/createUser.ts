import { declare } from '../pipeline/declaration';
import { userResource, userShape } from './users';

/** CreateUser: a new IAM user of the vault's account, with no access keys and no policies. */
export const createUser = declare({
  name: 'CreateUser',
  action: 'iam:CreateUser',
  kind: 'change',
  resource: (ctx, request) => userResource(ctx, request.UserName, request.Path),
  handler: (ctx, request) => ({ User: userShape(ctx, ctx.vault.users.create(request.UserName, request.Path ?? '/')) }),
});
