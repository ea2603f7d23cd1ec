import { checkKeyPolicy, requirePolicyName } from '../engine/keyPolicies';
import { declare } from '../pipeline/declaration';

/** PutKeyPolicy: replaces a key's policy (named "default"), checked as CreateKey checks one; it decides at once. */
export const putKeyPolicy = declare({
  name: 'PutKeyPolicy',
  action: 'kms:PutKeyPolicy',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'manage' } },
  handler: (ctx, request, { key }) => {
    const keyArn = ctx.vault.store.keyArn(key.keyId);
    requirePolicyName(request.PolicyName, keyArn);
    checkKeyPolicy(request.Policy, { principal: ctx.caller.principal, identityPolicies: ctx.vault.users.identityPolicies(ctx.caller.principal), keyArn, bypassLockoutCheck: request.BypassPolicyLockoutSafetyCheck === true });
    ctx.vault.store.putKeyPolicy(key.keyId, request.Policy);
    return {};
  },
});
