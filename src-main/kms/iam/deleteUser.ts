import { declare } from '../pipeline/declaration';
import { userResource } from './users';

/** DeleteUser: removes a user that has no access keys or inline policies left (DeleteConflictException otherwise, as IAM). */
export const deleteUser = declare({
  name: 'DeleteUser',
  action: 'iam:DeleteUser',
  kind: 'change',
  resource: (ctx, request) => userResource(ctx, request.UserName),
  handler: (ctx, request) => {
    ctx.vault.users.delete(request.UserName);
    return {};
  },
});
