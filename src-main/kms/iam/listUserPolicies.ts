import { declare } from '../pipeline/declaration';
import { pageOf, userResource } from './users';

/** ListUserPolicies: the names of a user's inline policies, in order. */
export const listUserPolicies = declare({
  name: 'ListUserPolicies',
  action: 'iam:ListUserPolicies',
  kind: 'read',
  resource: (ctx, request) => userResource(ctx, request.UserName),
  handler: (ctx, request) => {
    const { users } = ctx.vault;
    const names = Object.keys(users.policiesOf(users.require(request.UserName))).sort();
    const { items, ...page } = pageOf(names, (name) => name, request.Marker, request.MaxItems);
    return { PolicyNames: items, ...page };
  },
});
