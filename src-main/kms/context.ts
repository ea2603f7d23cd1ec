import { KmsError } from '../../src-shared/errors';
import { authorize, type AuthorizationRequest } from '../policy/authorize';
import type { KeyRow } from '../vault/keysRepo';
import { requireState, type StateRule } from './engine/keyStates';
import type { Vault } from './lifecycle/vault';

/**
 * What one KMS call runs against: the open vault, and what its audit record
 * says besides the request: the keys (and alias) the call touched, and CloudTrail's
 * `additionalEventData` (the key material a cryptographic call used).
 */
export interface KmsContext {
  readonly vault: Vault;
  readonly resources: string[];
  readonly eventData: Record<string, string>;
}

type Action = AuthorizationRequest['action'];

/** A context for one call on `vault`. */
export function callContext(vault: Vault): KmsContext {
  return { vault, resources: [], eventData: {} };
}

/**
 * How an operation lets a request name its key, as the AWS model documents
 * each KeyId member: DescribeKey and the cryptographic operations take an
 * alias name or alias ARN too; the operations that manage a key take only
 * its key id or key ARN.
 */
export type KeyNaming = 'id' | 'id-or-alias';

/**
 * The key `keyIdInput` names, checked against the state `rule` of the
 * operation, and noted as a resource of the call.
 */
export function resolveKey(ctx: KmsContext, keyIdInput: string, rule: StateRule, naming: KeyNaming = 'id'): KeyRow {
  const key = ctx.vault.store.resolve(keyIdInput, naming === 'id-or-alias');
  const arn = ctx.vault.store.keyArn(key.keyId);
  noteResource(ctx, arn);
  requireState(key, rule, arn);
  return key;
}

/** Notes the alias an alias operation names as a resource of the call (CloudTrail lists it before the alias's key). */
export function noteAlias(ctx: KmsContext, aliasName: string): void {
  noteResource(ctx, ctx.vault.store.aliasArn(aliasName));
}

/** Adds `arn` to the call's resources, once. */
function noteResource(ctx: KmsContext, arn: string): void {
  if (!ctx.resources.includes(arn)) ctx.resources.push(arn);
}

/**
 * Allows or refuses `action` on `key` for whoever is calling (see
 * policy/authorize): every operation on a key passes here before it acts.
 * `context` is the call's encryption context, for policy conditions.
 */
export function authorizeKey(ctx: KmsContext, key: KeyRow, action: Action, context?: Readonly<Record<string, string>>): void {
  ctx.vault.use(({ principal }) => {
    authorize({ principal, action, resource: ctx.vault.store.keyArn(key.keyId), keyManager: key.keyManager, ...(context === undefined ? {} : { context }) });
  });
}

/**
 * InvalidGrantTokenException for any grant token: this vault has no grants,
 * so none it could be given is valid (grant tokens are not secret, but the
 * message does not repeat them).
 */
export function refuseGrantTokens(grantTokens: readonly string[] | undefined): void {
  if (grantTokens !== undefined && grantTokens.length > 0) {
    throw new KmsError('InvalidGrantTokenException', 'This vault has no grants, so no grant token is valid. Call again without GrantTokens.');
  }
}

/** Allows or refuses an action that concerns no one key (CreateKey, ListKeys, GenerateRandom). */
export function authorizeAccount(ctx: KmsContext, action: Action): void {
  ctx.vault.use(({ principal }) => {
    authorize({ principal, action, resource: '*' });
  });
}
