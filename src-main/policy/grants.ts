/**
 * What one grant allows. A grant names its grantee, the operations it
 * allows and, optionally, an encryption context constraint; a retired
 * grant allows nothing. As AWS KMS does it, a constraint's keys are
 * compared without regard to case and its values exactly, and it applies
 * only to the operations that take an encryption context.
 */
import type { Principal } from '../../src-shared/caller';
import type { GrantConstraints, RequestFacts } from './requestContext';

/** A grant as the engine sees it. */
export interface GrantInput {
  readonly grantId: string;
  /** The ARN of a user or role, or of an account root (then the account's identity policies decide for its users). */
  readonly granteePrincipal: string;
  /** Operation names without the `kms:` prefix, e.g. `Decrypt`. */
  readonly operations: readonly string[];
  readonly constraints?: GrantConstraints;
  readonly retired?: boolean;
}

/** A grant's constraints as AWS's requests and responses name them (EncryptionContextEquals, EncryptionContextSubset). */
export interface AwsGrantConstraints {
  readonly EncryptionContextEquals?: Readonly<Record<string, string>> | undefined;
  readonly EncryptionContextSubset?: Readonly<Record<string, string>> | undefined;
}

/** AWS's form of a grant's constraints in the engine's; undefined for none. */
export function grantConstraintsOf(aws: AwsGrantConstraints | undefined): GrantConstraints | undefined {
  if (aws?.EncryptionContextEquals === undefined && aws?.EncryptionContextSubset === undefined) return undefined;
  return {
    ...(aws.EncryptionContextEquals === undefined ? {} : { encryptionContextEquals: aws.EncryptionContextEquals }),
    ...(aws.EncryptionContextSubset === undefined ? {} : { encryptionContextSubset: aws.EncryptionContextSubset }),
  };
}

/** The operations that take an encryption context, to which a grant's constraint applies. */
const CONSTRAINED_OPERATIONS: ReadonlySet<string> = new Set([
  'Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
]);

type Folded = ReadonlyMap<string, readonly string[]>;

/** An encryption context with its keys in lower case; keys that differ only by case gather their values. */
function fold(pairs: Readonly<Record<string, string>>): Folded {
  const folded = new Map<string, string[]>();
  for (const [key, value] of Object.entries(pairs)) {
    const name = key.toLowerCase();
    folded.set(name, [...(folded.get(name) ?? []), value].sort());
  }
  return folded;
}

function sameValues(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Every pair of `subset` is in `context`. */
function includes(context: Folded, subset: Folded): boolean {
  return [...subset].every(([key, values]) => values.every((v) => context.get(key)?.includes(v) === true));
}

/** `a` and `b` hold the same pairs. */
function equal(a: Folded, b: Folded): boolean {
  return a.size === b.size && [...a].every(([key, values]) => sameValues(values, b.get(key)));
}

/** A constraint map that says something (AWS treats an empty one as none). */
function given(map: Readonly<Record<string, string>> | undefined): Folded | undefined {
  return map === undefined || Object.keys(map).length === 0 ? undefined : fold(map);
}

/** True when the request's encryption context meets the grant's constraint. */
function contextMeets(constraints: GrantConstraints | undefined, context: Readonly<Record<string, string>>): boolean {
  const equals = given(constraints?.encryptionContextEquals);
  const subset = given(constraints?.encryptionContextSubset);
  const actual = fold(context);
  return (equals === undefined || equal(actual, equals)) && (subset === undefined || includes(actual, subset));
}

/** True when a new grant's constraints are at least as strict as the granting grant's. */
function asStrict(parent: GrantConstraints | undefined, child: GrantConstraints | undefined): boolean {
  const parentEquals = given(parent?.encryptionContextEquals);
  const parentSubset = given(parent?.encryptionContextSubset);
  const childEquals = given(child?.encryptionContextEquals);
  const childSubset = given(child?.encryptionContextSubset);
  if (parentEquals !== undefined && (childEquals === undefined || !equal(childEquals, parentEquals))) return false;
  if (parentSubset !== undefined) {
    const covered = (childEquals !== undefined && includes(childEquals, parentSubset)) || (childSubset !== undefined && includes(childSubset, parentSubset));
    if (!covered) return false;
  }
  return true;
}

/** How the grantee relates to `principal`: the principal itself, its account, or neither. */
export function granteeMatch(grant: GrantInput, principal: Principal): 'direct' | 'account' | 'none' {
  if (grant.granteePrincipal === principal.arn) return 'direct';
  const account = /^(?:arn:aws[a-z-]*:iam::(\d{12}):root|(\d{12}))$/.exec(grant.granteePrincipal);
  return account !== null && (account[1] ?? account[2]) === principal.accountId ? 'account' : 'none';
}

/**
 * True when an unretired `grant` allows `action` (e.g. `kms:Decrypt`) for a
 * request with these facts, whoever the grantee. A grant that allows
 * CreateGrant allows only new grants for some of its own operations and
 * with constraints at least as strict as its own.
 */
export function grantAllows(grant: GrantInput, action: string, facts: RequestFacts): boolean {
  if (grant.retired === true || !action.startsWith('kms:')) return false;
  const operation = action.slice(4);
  if (!grant.operations.includes(operation)) return false;
  if (CONSTRAINED_OPERATIONS.has(operation)) return contextMeets(grant.constraints, facts.encryptionContext ?? {});
  if (operation === 'CreateGrant') {
    const wanted = facts.grantOperations;
    return wanted !== undefined && wanted.every((op) => grant.operations.includes(op)) && asStrict(grant.constraints, facts.grantConstraints);
  }
  return true;
}
