/**
 * The request context conditions are decided on: condition keys (names
 * compared without regard to case, as IAM does) and their values. The
 * engine builds it from what the request and its key say and from the
 * principal, so no request can name its own principal.
 */
import type { Principal } from '../../src-shared/caller';

/** The values of a condition key (named in lower case); undefined when the request has none. */
export interface ConditionContext {
  get(key: string): readonly string[] | undefined;
}

/** A value a request context entry may hold. */
export type ContextValue = string | number | boolean | readonly string[];

/** What a request says about itself and the key it uses, for condition keys. */
export interface RequestFacts {
  /** When the call is made (aws:CurrentTime, aws:EpochTime). */
  readonly now: Date;
  /** kms:EncryptionContext:<key> for each pair, and kms:EncryptionContextKeys. */
  readonly encryptionContext?: Readonly<Record<string, string>>;
  /** CreateGrant: the operations the new grant would allow (kms:GrantOperations). */
  readonly grantOperations?: readonly string[];
  /** CreateGrant: the constraints the new grant would have (checked against a grant that allows CreateGrant). */
  readonly grantConstraints?: GrantConstraints;
  /** kms:GrantIsForAWSResource. */
  readonly grantIsForAWSResource?: boolean;
  /** kms:KeySpec, kms:KeyUsage, kms:KeyOrigin of the key the call uses (or CreateKey's request). */
  readonly keySpec?: string;
  readonly keyUsage?: string;
  readonly keyOrigin?: string;
  /** kms:RequestAlias: the alias the request named its key by. */
  readonly requestAlias?: string;
  /** kms:ResourceAliases: the aliases of the key the call uses. */
  readonly resourceAliases?: readonly string[];
  /** kms:ViaService: the service that made the call on the principal's behalf. */
  readonly viaService?: string;
  /** aws:ResourceTag/<key>: the tags of the key the call uses. */
  readonly resourceTags?: Readonly<Record<string, string>>;
  /** aws:RequestTag/<key>: the tags the request sets. */
  readonly requestTags?: Readonly<Record<string, string>>;
  /** aws:TagKeys: the tag keys the request names (by default, those of requestTags). */
  readonly tagKeys?: readonly string[];
  /** Any other condition key; the principal's own keys cannot be set here. */
  readonly extra?: Readonly<Record<string, ContextValue>>;
}

/** Encryption context constraints of a grant. */
export interface GrantConstraints {
  readonly encryptionContextEquals?: Readonly<Record<string, string>>;
  readonly encryptionContextSubset?: Readonly<Record<string, string>>;
}

function asStrings(value: ContextValue | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  return value;
}

/** Adds `pairs` to `map` with their keys in lower case and `prefix` before them; keys that differ only by case gather their values. */
function fold(map: Map<string, string[]>, pairs: Readonly<Record<string, ContextValue>> | undefined, prefix = ''): Map<string, string[]> {
  if (pairs === undefined) return map;
  for (const key in pairs) {
    if (!Object.hasOwn(pairs, key)) continue;
    const name = `${prefix}${key}`.toLowerCase();
    const values = asStrings(pairs[key]) ?? [];
    const had = map.get(name);
    if (had === undefined) map.set(name, [...values]);
    else had.push(...values);
  }
  return map;
}

/** The name a principal goes by in aws:username: the last part of a user's ARN. */
function userName(principal: Principal): string | undefined {
  const match = /:user\/(?:.*\/)?([^/]+)$/.exec(principal.arn);
  return match?.[1];
}

/** Keys that come from the principal alone: no request can set them. */
const PRINCIPAL_KEYS: Readonly<Record<string, (principal: Principal) => string | undefined>> = {
  'aws:principalarn': (p) => p.arn,
  'aws:principalaccount': (p) => p.accountId,
  'aws:principaltype': (p) => (p.type === 'Root' ? 'Account' : 'User'),
  'aws:username': userName,
  'kms:calleraccount': (p) => p.accountId,
};

/** The condition keys that name one pair of a map the request or key has, by prefix (in lower case), and the map. */
const PAIR_SOURCES: readonly (readonly [string, (facts: RequestFacts) => Readonly<Record<string, string>> | undefined])[] = [
  ['kms:encryptioncontext:', (f) => f.encryptionContext],
  ['aws:resourcetag/', (f) => f.resourceTags],
  ['aws:requesttag/', (f) => f.requestTags],
];

/**
 * The request context of one call by `principal`. A key's values are
 * worked out when a condition first asks for them, so a call pays only for
 * the keys its policies name.
 */
class LazyContext implements ConditionContext {
  private extra: Map<string, string[]> | undefined;
  /** Each source of pairs, folded when a condition first names a key of it (the key's tags are read from the vault only then). */
  private readonly pairs = new Map<string, Map<string, string[]>>();

  constructor(
    private readonly principal: Principal,
    private readonly facts: RequestFacts,
  ) {}

  get(key: string): readonly string[] | undefined {
    const own = PRINCIPAL_KEYS[key];
    if (own !== undefined) return asStrings(own(this.principal));
    const fromFacts = this.fromFacts(key);
    if (this.facts.extra === undefined) return fromFacts;
    this.extra ??= fold(new Map(), this.facts.extra);
    const more = this.extra.get(key);
    return more === undefined ? fromFacts : [...(fromFacts ?? []), ...more];
  }

  private fromFacts(key: string): readonly string[] | undefined {
    const f = this.facts;
    switch (key) {
      case 'aws:currenttime':
        return [f.now.toISOString().replace(/\.\d{3}Z$/, 'Z')];
      case 'aws:epochtime':
        return [String(Math.floor(f.now.getTime() / 1000))];
      case 'kms:encryptioncontextkeys':
        return Object.keys(f.encryptionContext ?? {});
      case 'kms:grantoperations':
        return f.grantOperations;
      case 'kms:grantisforawsresource':
        return asStrings(f.grantIsForAWSResource);
      case 'kms:keyspec':
        return asStrings(f.keySpec);
      case 'kms:keyusage':
        return asStrings(f.keyUsage);
      case 'kms:keyorigin':
        return asStrings(f.keyOrigin);
      case 'kms:requestalias':
        return asStrings(f.requestAlias);
      case 'kms:resourcealiases':
        return f.resourceAliases;
      case 'kms:viaservice':
        return asStrings(f.viaService);
      case 'aws:tagkeys':
        return f.tagKeys ?? (f.requestTags === undefined ? undefined : Object.keys(f.requestTags));
    }
    for (const [prefix, pairs] of PAIR_SOURCES) {
      if (!key.startsWith(prefix)) continue;
      let folded = this.pairs.get(prefix);
      if (folded === undefined) {
        folded = fold(new Map(), pairs(f), prefix);
        this.pairs.set(prefix, folded);
      }
      return folded.get(key);
    }
    return undefined;
  }
}

/** The request context of one call by `principal`. */
export function conditionContext(principal: Principal, facts: RequestFacts): ConditionContext {
  return new LazyContext(principal, facts);
}
