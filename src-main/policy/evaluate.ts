/**
 * The authorization decision, as AWS documents it for KMS:
 *
 * 1. An explicit Deny that applies (in the key policy, or in one of the
 *    principal's identity policies) wins.
 * 2. Otherwise a key policy Allow that names the principal (or "*")
 *    allows. One that names the principal's account lets the account
 *    decide: its root is allowed, and its users are allowed when one of
 *    their identity policies allows the call.
 * 3. Otherwise a grant allows: one whose grantee is the principal, or the
 *    principal's account (then, as in 2, its identity policies decide).
 * 4. Otherwise the call is denied (ImplicitDeny).
 *
 * An action that names no key (resource "*", e.g. CreateKey or ListKeys,
 * or an IAM user's ARN) has no key policy or grants: the account root is
 * allowed, and a user when an identity policy allows it and none denies it.
 */
import type { Principal } from '../../src-shared/caller';
import { conditionHolds } from './conditions';
import { describeStatement, type PatternSet, type PolicyDocument, type PrincipalSet, type Statement } from './document';
import { grantAllows, granteeMatch, type GrantInput } from './grants';
import { conditionContext, type ConditionContext, type RequestFacts } from './requestContext';
import { wildcardMatch } from './wildcard';

/** An identity policy and its name (inline policies are named by their user). */
export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

export interface EvaluationRequest {
  readonly principal: Principal;
  /** The IAM action, e.g. `kms:Decrypt`. */
  readonly action: string;
  /** The key's ARN, or "*" for an action that names no key. */
  readonly resource: string;
  /** The key's policy; none means no statement allows anything. */
  readonly keyPolicy?: PolicyDocument;
  readonly identityPolicies?: readonly NamedPolicy[];
  /** The key's grants (retired ones allow nothing). */
  readonly grants?: readonly GrantInput[];
  readonly facts: RequestFacts;
}

/** What decided: a statement of the key policy or of an identity policy, a grant, or the account root's own right. */
export type DecidedBy =
  | { readonly source: 'keyPolicy'; readonly index: number; readonly sid: string | undefined }
  | { readonly source: 'identityPolicy'; readonly policyName: string; readonly index: number; readonly sid: string | undefined }
  | { readonly source: 'grant'; readonly grantId: string }
  | { readonly source: 'accountRoot' };

export interface Decision {
  readonly effect: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  /** The statement or grant that decided (none for an ImplicitDeny). */
  readonly decidedBy?: DecidedBy;
  /** For an Allow by an identity policy: the key policy statement or grant that let the account's identity policies decide. */
  readonly enabledBy?: DecidedBy;
  /** A sentence saying why, for the simulator and the audit record. */
  readonly reason: string;
}

type Reach = 'direct' | 'account' | 'none';

/** How a Principal reaches `principal`: by name (or "*"), through its account, or not at all. */
function principalReach(set: PrincipalSet, principal: Principal): Reach {
  if (set.negated) return notPrincipalExcludes(set, principal) ? 'none' : 'direct';
  let reach: Reach = 'none';
  for (const entry of set.entries) {
    if (entry.kind === 'any' || (entry.kind === 'arn' && entry.arn === principal.arn)) return 'direct';
    if (entry.kind === 'account' && entry.accountId === principal.accountId) reach = principal.type === 'Root' ? 'direct' : 'account';
  }
  return reach;
}

/**
 * Whether a NotPrincipal leaves `principal` out. As AWS evaluates it, a
 * user escapes only when both its ARN and its account are listed (AWS
 * checks the account too); an account root when its account is listed.
 */
function notPrincipalExcludes(set: PrincipalSet, principal: Principal): boolean {
  const listsAccount = set.entries.some((e) => e.kind === 'account' && e.accountId === principal.accountId);
  if (set.entries.some((e) => e.kind === 'any')) return true;
  if (principal.type === 'Root') return listsAccount;
  return listsAccount && set.entries.some((e) => e.kind === 'arn' && e.arn === principal.arn);
}

/** Action patterns in lower case, worked out once per parsed policy. */
const lowered = new WeakMap<PatternSet, readonly string[]>();

function matches(set: PatternSet, value: string, caseless: boolean): boolean {
  let patterns = set.patterns;
  if (caseless) {
    let cached = lowered.get(set);
    if (cached === undefined) {
      cached = patterns.map((p) => p.toLowerCase());
      lowered.set(set, cached);
    }
    patterns = cached;
  }
  const target = caseless ? value.toLowerCase() : value;
  const any = patterns.some((pattern) => pattern === '*' || wildcardMatch(pattern, target));
  return set.negated ? !any : any;
}

/** The statement covers this action on this resource, and its conditions hold. */
function covers(statement: Statement, action: string, resource: string, context: ConditionContext): boolean {
  return matches(statement.actions, action, true) && matches(statement.resources, resource, false) && statement.conditions.every((c) => conditionHolds(c, context));
}

const inKeyPolicy = (s: Statement): DecidedBy => ({ source: 'keyPolicy', index: s.index, sid: s.sid });
const inIdentityPolicy = (policyName: string, s: Statement): DecidedBy => ({ source: 'identityPolicy', policyName, index: s.index, sid: s.sid });

/** Names what decided, for reasons. */
export function describeDecider(by: DecidedBy): string {
  switch (by.source) {
    case 'keyPolicy':
      return `${describeStatement(by)} of the key policy`;
    case 'identityPolicy':
      return `${describeStatement(by)} of identity policy "${by.policyName}"`;
    case 'grant':
      return `grant ${by.grantId}`;
    case 'accountRoot':
      return 'the account root, which may call any action that names no key';
  }
}

function allow(decidedBy: DecidedBy, enabledBy?: DecidedBy): Decision {
  const through = enabledBy === undefined ? '' : `, which ${describeDecider(enabledBy)} lets the account's identity policies decide`;
  return { effect: 'Allow', decidedBy, ...(enabledBy === undefined ? {} : { enabledBy }), reason: `Allowed by ${describeDecider(decidedBy)}${through}.` };
}

/** Decides one request: Allow, ExplicitDeny or ImplicitDeny, and what decided it. */
export function evaluate(request: EvaluationRequest): Decision {
  const { principal, action, resource } = request;
  const context = conditionContext(principal, request.facts);
  const forKey = resource.startsWith('arn:aws:kms:');
  const keyStatements = forKey ? (request.keyPolicy?.statements ?? []) : [];
  const identity = (request.identityPolicies ?? []).flatMap(({ name, document }) => document.statements.map((statement) => ({ name, statement })));

  for (const s of keyStatements) {
    if (s.effect === 'Deny' && s.principals !== undefined && principalReach(s.principals, principal) !== 'none' && covers(s, action, resource, context)) {
      return { effect: 'ExplicitDeny', decidedBy: inKeyPolicy(s), reason: `Explicitly denied by ${describeDecider(inKeyPolicy(s))}.` };
    }
  }
  for (const { name, statement: s } of identity) {
    if (s.effect === 'Deny' && covers(s, action, resource, context)) {
      const by = inIdentityPolicy(name, s);
      return { effect: 'ExplicitDeny', decidedBy: by, reason: `Explicitly denied by ${describeDecider(by)}.` };
    }
  }

  const identityAllow = identity.find(({ statement: s }) => s.effect === 'Allow' && covers(s, action, resource, context));
  const throughAccount = (enabledBy: DecidedBy): Decision | undefined => {
    if (principal.type === 'Root') return allow(enabledBy);
    return identityAllow === undefined ? undefined : allow(inIdentityPolicy(identityAllow.name, identityAllow.statement), enabledBy);
  };

  if (!forKey) {
    if (principal.type === 'Root') return allow({ source: 'accountRoot' });
    if (identityAllow !== undefined) return allow(inIdentityPolicy(identityAllow.name, identityAllow.statement));
    return { effect: 'ImplicitDeny', reason: `No identity policy of ${principal.arn} allows ${action}.` };
  }

  let accountStatement: Statement | undefined;
  for (const s of keyStatements) {
    if (s.effect !== 'Allow' || s.principals === undefined) continue;
    const reach = principalReach(s.principals, principal);
    if (reach === 'none' || !covers(s, action, resource, context)) continue;
    if (reach === 'direct') return allow(inKeyPolicy(s));
    accountStatement ??= s;
  }
  if (accountStatement !== undefined) {
    const decision = throughAccount(inKeyPolicy(accountStatement));
    if (decision !== undefined) return decision;
  }

  for (const grant of request.grants ?? []) {
    const reach = granteeMatch(grant, principal);
    if (reach === 'none' || !grantAllows(grant, action, request.facts)) continue;
    const by: DecidedBy = { source: 'grant', grantId: grant.grantId };
    const decision = reach === 'direct' ? allow(by) : throughAccount(by);
    if (decision !== undefined) return decision;
  }

  const why =
    accountStatement === undefined
      ? `No statement of the key policy, and no grant, allows ${principal.arn} to call ${action}.`
      : `${describeDecider(inKeyPolicy(accountStatement))} lets the account's identity policies decide, and none of those of ${principal.arn} allows ${action}.`;
  return { effect: 'ImplicitDeny', reason: why.charAt(0).toUpperCase() + why.slice(1) };
}
