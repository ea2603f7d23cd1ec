import { KmsError } from '../../../src-shared/errors';
import type { DecidedBy } from '../../policy/evaluate';
import { declare } from '../pipeline/declaration';
import { DECISION_NAMES, simulate } from './simulation';
import { pageOf } from './users';
const CONTEXT_PREFIX = 'kms:EncryptionContext:';

/** The encryption context and grant operations that IAM's context entries give; InvalidInputException for a key the simulator does not take. */
function contextOf(entries: readonly { ContextKeyName: string; ContextKeyValues: string[] }[] | undefined): { encryptionContext?: Record<string, string>; grantOperations?: string[] } {
  const encryptionContext: Record<string, string> = {};
  let grantOperations: string[] | undefined;
  for (const { ContextKeyName: name, ContextKeyValues: values } of entries ?? []) {
    if (name.toLowerCase().startsWith(CONTEXT_PREFIX.toLowerCase()) && values.length === 1 && values[0] !== undefined) encryptionContext[name.slice(CONTEXT_PREFIX.length)] = values[0];
    else if (name.toLowerCase() === 'kms:grantoperations') grantOperations = values;
    else throw new KmsError('InvalidInputException', `The simulator takes context entries ${CONTEXT_PREFIX}<key> (one value each) and kms:GrantOperations; not ${name} with ${String(values.length)} values.`);
  }
  return { ...(Object.keys(encryptionContext).length > 0 ? { encryptionContext } : {}), ...(grantOperations === undefined ? {} : { grantOperations }) };
}

/** What IAM's MatchedStatements says of what decided: a user's inline policy, or the key policy (a resource policy); a grant is no policy. */
function matched(by: DecidedBy | undefined, keyArn: string): { SourcePolicyId: string; SourcePolicyType: 'user' | 'resource' | 'none' }[] {
  if (by === undefined || by.source === 'grant' || by.source === 'accountRoot') return [];
  if (by.source === 'identityPolicy') return [{ SourcePolicyId: by.policyName, SourcePolicyType: 'user' }];
  return [{ SourcePolicyId: `${keyArn}/default${by.sid === undefined ? '' : `/${by.sid}`}`, SourcePolicyType: 'resource' }];
}

/**
 * SimulatePrincipalPolicy, in IAM's shape: the decision for each action on
 * each resource (a key's ARN, or "*" for the account) that the principal
 * would get, with the statement that matched; context entries give the
 * encryption context and grant operations. Nothing is called.
 */
export const simulatePrincipalPolicy = declare({
  name: 'SimulatePrincipalPolicy',
  action: 'iam:SimulatePrincipalPolicy',
  kind: 'read',
  resource: (_ctx, request) => request.PolicySourceArn,
  handler: (ctx, request) => {
    const context = contextOf(request.ContextEntries);
    const resources = request.ResourceArns ?? ['*'];
    const results = request.ActionNames.flatMap((action) =>
      resources.map((resource) => {
        const key = resource === '*' ? undefined : { row: ctx.vault.store.resolve(resource, true), named: resource };
        const decision = simulate(ctx, { principalArn: request.PolicySourceArn, action, ...(key === undefined ? {} : { key }), ...context });
        const grant = decision.decidedBy?.source === 'grant' ? { GrantId: decision.decidedBy.grantId } : {};
        return { EvalActionName: action, EvalResourceName: resource, EvalDecision: DECISION_NAMES[decision.effect], MatchedStatements: matched(decision.decidedBy, resource), MissingContextValues: [], Reason: decision.reason, ...grant };
      }),
    );
    const indexed = results.map((result, i) => ({ result, at: String(i).padStart(6, '0') }));
    const { items, ...page } = pageOf(indexed, (entry) => entry.at, request.Marker, request.MaxItems);
    return { EvaluationResults: items.map((entry) => entry.result), ...page };
  },
});
