/**
 * The request context conditions are decided on: condition keys (names
 * compared without regard to case, as IAM does) and their values. The
 * engine builds it from what the request and its key say and from the
 * principal, so no request can name its own principal.
 */
import type { Principal } from '../../src-shared/caller';

/** Condition key (lower case) → its values; a single-valued key has one. */
export type ConditionContext = ReadonlyMap<string, readonly string[]>;

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

function asStrings(value: ContextValue): readonly string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  return value;
}

/** The name a principal goes by in aws:username: the last part of a user's ARN. */
function userName(principal: Principal): string | undefined {
  const match = /:user\/(?:.*\/)?([^/]+)$/.exec(principal.arn);
  return match?.[1];
}

/** The request context of one call by `principal`. */
export function conditionContext(principal: Principal, facts: RequestFacts): ConditionContext {
  const context = new Map<string, string[]>();
  const put = (key: string, value: ContextValue | undefined) => {
    if (value === undefined) return;
    const name = key.toLowerCase();
    const values = asStrings(value);
    const had = context.get(name);
    if (had === undefined) context.set(name, [...values]);
    else had.push(...values);
  };
  for (const [key, value] of Object.entries(facts.extra ?? {})) put(key, value);
  for (const own of ['aws:principalarn', 'aws:principalaccount', 'aws:principaltype', 'aws:username', 'kms:calleraccount']) context.delete(own);

  put('aws:PrincipalArn', principal.arn);
  put('aws:PrincipalAccount', principal.accountId);
  put('aws:PrincipalType', principal.type === 'Root' ? 'Account' : 'User');
  put('aws:username', userName(principal));
  put('kms:CallerAccount', principal.accountId);
  put('aws:CurrentTime', facts.now.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  put('aws:EpochTime', Math.floor(facts.now.getTime() / 1000));

  const pairs = Object.entries(facts.encryptionContext ?? {});
  for (const [key, value] of pairs) put(`kms:EncryptionContext:${key}`, value);
  if (pairs.length > 0) put('kms:EncryptionContextKeys', pairs.map(([key]) => key));
  put('kms:GrantOperations', facts.grantOperations);
  put('kms:GrantIsForAWSResource', facts.grantIsForAWSResource);
  put('kms:KeySpec', facts.keySpec);
  put('kms:KeyUsage', facts.keyUsage);
  put('kms:KeyOrigin', facts.keyOrigin);
  put('kms:RequestAlias', facts.requestAlias);
  put('kms:ResourceAliases', facts.resourceAliases);
  put('kms:ViaService', facts.viaService);
  for (const [key, value] of Object.entries(facts.resourceTags ?? {})) put(`aws:ResourceTag/${key}`, value);
  for (const [key, value] of Object.entries(facts.requestTags ?? {})) put(`aws:RequestTag/${key}`, value);
  put('aws:TagKeys', facts.tagKeys ?? (facts.requestTags === undefined ? undefined : Object.keys(facts.requestTags)));
  return context;
}
