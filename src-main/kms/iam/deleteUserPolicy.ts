import { declare } from '../pipeline/declaration';
import { userResource } from './users';

/** DeleteUserPolicy: removes an inline policy of a user. */
export const deleteUserPolicy = declare({
  name: 'DeleteUserPolicy',
  action: 'iam:DeleteUserPolicy',
  kind: 'change',
  resource: (ctx, request) => userResource(ctx, request.UserName),
  handler: (ctx, request) => {
    ctx.vault.users.setPolicy(request.UserName, request.PolicyName, undefined);
    return {};
  },
});
