import { declare } from '../pipeline/declaration';
import { targetUserName, userResource } from './users';

/** DeleteAccessKey: removes one of a user's access keys; calls made with it are refused from then on. */
export const deleteAccessKey = declare({
  name: 'DeleteAccessKey',
  action: 'iam:DeleteAccessKey',
  kind: 'change',
  resource: (ctx, request) => userResource(ctx, request.UserName),
  handler: (ctx, request) => {
    const { users } = ctx.vault;
    users.repo.deleteAccessKey(users.requireAccessKey(targetUserName(ctx, request.UserName), request.AccessKeyId).accessKeyId);
    return {};
  },
});
