import { declare } from '../pipeline/declaration';
import { targetUserName, userResource, userShape } from './users';

/** GetUser: a user, or, with no name, the user whose access key called. */
export const getUser = declare({
  name: 'GetUser',
  action: 'iam:GetUser',
  kind: 'read',
  resource: (ctx, request) => userResource(ctx, request.UserName),
  handler: (ctx, request) => ({ User: userShape(ctx, ctx.vault.users.require(targetUserName(ctx, request.UserName))) }),
});
