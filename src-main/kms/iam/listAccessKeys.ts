import { declare } from '../pipeline/declaration';
import { accessKeyShape, pageOf, targetUserName, userResource } from './users';

/** ListAccessKeys: a user's access keys (never their secrets), oldest first. */
export const listAccessKeys = declare({
  name: 'ListAccessKeys',
  action: 'iam:ListAccessKeys',
  kind: 'read',
  resource: (ctx, request) => userResource(ctx, request.UserName),
  handler: (ctx, request) => {
    const { users } = ctx.vault;
    const user = users.require(targetUserName(ctx, request.UserName));
    const { items, ...page } = pageOf(users.repo.accessKeysOf(user.userName), (row) => `${String(row.createdAt).padStart(16, '0')}/${row.accessKeyId}`, request.Marker, request.MaxItems);
    return { AccessKeyMetadata: items.map(accessKeyShape), ...page };
  },
});
