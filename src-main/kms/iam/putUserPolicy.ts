import { declare } from '../pipeline/declaration';
import { userResource } from './users';

/** PutUserPolicy: adds or replaces an inline identity policy of a user (MalformedPolicyDocumentException for one that does not parse). */
export const putUserPolicy = declare({
  name: 'PutUserPolicy',
  action: 'iam:PutUserPolicy',
  kind: 'change',
  resource: (ctx, request) => userResource(ctx, request.UserName),
  handler: (ctx, request) => {
    ctx.vault.users.setPolicy(request.UserName, request.PolicyName, request.PolicyDocument);
    return {};
  },
});
