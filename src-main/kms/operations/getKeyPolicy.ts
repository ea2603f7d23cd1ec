import { KEY_POLICY_NAME } from '../../policy/defaultKeyPolicy';
import { requirePolicyName } from '../engine/keyPolicies';
import { declare } from '../pipeline/declaration';

/** GetKeyPolicy: a key's policy as it was given (or AWS's default), with its name. */
export const getKeyPolicy = declare({
  name: 'GetKeyPolicy',
  action: 'kms:GetKeyPolicy',
  kind: 'read',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'any' } },
  handler: (ctx, request, { key }) => {
    requirePolicyName(request.PolicyName, ctx.vault.store.keyArn(key.keyId));
    return { Policy: ctx.vault.store.keyPolicy(key.keyId).text, PolicyName: KEY_POLICY_NAME };
  },
});
