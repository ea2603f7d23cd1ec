import { declare } from '../pipeline/declaration';
import { targetUserName, userResource } from './users';

/** UpdateAccessKey: makes one of a user's access keys Active or Inactive; an inactive key is refused at once, in every door. */
export const updateAccessKey = declare({
  name: 'UpdateAccessKey',
  action: 'iam:UpdateAccessKey',
  kind: 'change',
  resource: (ctx, request) => userResource(ctx, request.UserName),
  handler: (ctx, request) => {
    const { users } = ctx.vault;
    const row = users.requireAccessKey(targetUserName(ctx, request.UserName), request.AccessKeyId);
    if (row.status !== request.Status) users.repo.saveAccessKey({ ...row, status: request.Status });
    return {};
  },
});
