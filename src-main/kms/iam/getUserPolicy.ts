import { KmsError } from '../../../src-shared/errors';
import { declare } from '../pipeline/declaration';
import { userResource } from './users';

/** GetUserPolicy: the text of one of a user's inline policies. */
export const getUserPolicy = declare({
  name: 'GetUserPolicy',
  action: 'iam:GetUserPolicy',
  kind: 'read',
  resource: (ctx, request) => userResource(ctx, request.UserName),
  handler: (ctx, request) => {
    const { users } = ctx.vault;
    const user = users.require(request.UserName);
    const document = users.policiesOf(user)[request.PolicyName];
    if (document === undefined) throw new KmsError('NoSuchEntityException', `The user policy with name ${request.PolicyName} cannot be found.`);
    return { UserName: user.userName, PolicyName: request.PolicyName, PolicyDocument: document };
  },
});
