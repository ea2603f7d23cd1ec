import { describeDecider, evaluate } from '../../policy/evaluate';
import { declare } from '../pipeline/declaration';
import { aliasNamed, factsOf } from '../pipeline/steps';

const DECISIONS = { Allow: 'allowed', ExplicitDeny: 'explicitDeny', ImplicitDeny: 'implicitDeny' } as const;

/**
 * SimulatePolicy: the decision the vault would make for a principal, an
 * action, a key (or the account) and an encryption context, with the
 * statement or grant that makes it; the same engine, key policy, grants and
 * request context (the key's spec, aliases and tags, the alias named) as
 * every call, and nothing is called.
 */
export const simulatePolicy = declare({
  name: 'SimulatePolicy',
  action: 'iam:SimulatePrincipalPolicy',
  kind: 'read',
  optionalKeys: { key: { from: 'keyId', naming: 'id-or-alias', states: 'any', action: 'kms:GetKeyPolicy' } },
  handler: (ctx, request, { key }) => {
    const { store } = ctx.vault;
    const more = request.grantOperations === undefined ? {} : { grantOperations: request.grantOperations };
    const accountId = request.principal.split(':')[4] ?? '';
    const principal = { type: request.principal.endsWith(':root') ? ('Root' as const) : ('User' as const), accountId, arn: request.principal };
    const decision = evaluate({
      principal,
      action: request.action,
      resource: key === undefined ? '*' : store.keyArn(key.keyId),
      ...(key === undefined ? {} : { keyPolicy: store.keyPolicy(key.keyId).document, grants: store.grantsOf(key.keyId) }),
      facts:
        key === undefined
          ? { now: new Date(), ...more }
          : factsOf(store, key, request.encryptionContext, aliasNamed(request.keyId), new Date(), more),
    });
    return {
      decision: DECISIONS[decision.effect],
      reason: decision.reason,
      ...(decision.decidedBy === undefined ? {} : { decidedBy: describeDecider(decision.decidedBy) }),
      ...(decision.enabledBy === undefined ? {} : { enabledBy: describeDecider(decision.enabledBy) }),
    };
  },
});
