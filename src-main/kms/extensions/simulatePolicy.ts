import { describeDecider } from '../../policy/evaluate';
import { DECISION_NAMES, simulate } from '../iam/simulation';
import { declare } from '../pipeline/declaration';

/**
 * SimulatePolicy: the decision the vault would make for a principal, an
 * action, a key (or the account) and an encryption context, with the
 * statement or grant that makes it (see iam/simulation); nothing is called.
 */
export const simulatePolicy = declare({
  name: 'SimulatePolicy',
  action: 'iam:SimulatePrincipalPolicy',
  kind: 'read',
  optionalKeys: { key: { from: 'keyId', naming: 'id-or-alias', states: 'any', action: 'kms:GetKeyPolicy' } },
  handler: (ctx, request, { key }) => {
    const decision = simulate(ctx, {
      principalArn: request.principal,
      action: request.action,
      ...(key === undefined || request.keyId === undefined ? {} : { key: { row: key, named: request.keyId } }),
      ...(request.encryptionContext === undefined ? {} : { encryptionContext: request.encryptionContext }),
      ...(request.grantOperations === undefined ? {} : { grantOperations: request.grantOperations }),
    });
    return {
      decision: DECISION_NAMES[decision.effect],
      reason: decision.reason,
      ...(decision.decidedBy === undefined ? {} : { decidedBy: describeDecider(decision.decidedBy) }),
      ...(decision.enabledBy === undefined ? {} : { enabledBy: describeDecider(decision.enabledBy) }),
    };
  },
});
