/**
 * The typed form of a policy document: a key policy (a resource policy, whose
 * statements name principals) or an identity policy (attached to a user,
 * whose statements name none). `parsePolicy` (parse.ts) makes one.
 */

export type PolicyKind = 'key' | 'identity';
export type PolicyVersion = '2008-10-17' | '2012-10-17';
export type Effect = 'Allow' | 'Deny';

/** One entry of Principal or NotPrincipal. */
export type PrincipalEntry =
  /** `"*"` or `{"AWS": "*"}`: every principal. */
  | { readonly kind: 'any' }
  /** An account id or `arn:aws:iam::<account>:root`: the account, which then decides through its identity policies. */
  | { readonly kind: 'account'; readonly accountId: string }
  /** A user, role or assumed-role ARN: that principal alone. */
  | { readonly kind: 'arn'; readonly arn: string }
  /** A service principal (`{"Service": "…amazonaws.com"}`): never a Strongroom caller. */
  | { readonly kind: 'service'; readonly name: string };

/** Principal (negated false) or NotPrincipal (negated true). */
export interface PrincipalSet {
  readonly negated: boolean;
  readonly entries: readonly PrincipalEntry[];
}

/** Action / NotAction or Resource / NotResource: wildcard patterns. */
export interface PatternSet {
  readonly negated: boolean;
  /** As written in the policy. */
  readonly patterns: readonly string[];
}

/** The base condition operators (without ForAnyValue:/ForAllValues: or IfExists). */
export const BASE_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool',
  'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike',
  'Null',
] as const;
export type BaseOperator = (typeof BASE_OPERATORS)[number];

/** One condition: an operator, one condition key, and the values it is compared with. */
export interface Condition {
  /** The operator as written, e.g. `ForAllValues:StringLikeIfExists`. */
  readonly operator: string;
  readonly base: BaseOperator;
  readonly qualifier: 'ForAnyValue' | 'ForAllValues' | undefined;
  readonly ifExists: boolean;
  /** The condition key as written, e.g. `kms:EncryptionContext:Department`. */
  readonly key: string;
  /** The values as strings (numbers and booleans as JSON writes them). */
  readonly values: readonly string[];
}

export interface Statement {
  /** Where the statement is in the document's Statement list, from 0. */
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: Effect;
  /** Set in key policies only. */
  readonly principals: PrincipalSet | undefined;
  readonly actions: PatternSet;
  readonly resources: PatternSet;
  /** All must hold (an empty list always does). */
  readonly conditions: readonly Condition[];
}

export interface PolicyDocument {
  readonly kind: PolicyKind;
  readonly version: PolicyVersion;
  readonly id: string | undefined;
  readonly statements: readonly Statement[];
}

/** How a statement is named in messages: `statement 2 (Sid "AllowUse")`. */
export function describeStatement(statement: { index: number; sid: string | undefined }): string {
  return statement.sid === undefined || statement.sid === '' ? `statement ${String(statement.index)}` : `statement ${String(statement.index)} (Sid "${statement.sid}")`;
}
