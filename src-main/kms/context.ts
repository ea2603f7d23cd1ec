import type { KeyRow } from '../vault/keysRepo';
import { requireState, type StateRule } from './engine/keyStates';
import type { Vault } from './lifecycle/vault';

/**
 * What one KMS call runs against: the open vault, and what its audit record
 * says besides the request: the keys the call touched, and CloudTrail's
 * `additionalEventData` (the key material a cryptographic call used).
 */
export interface KmsContext {
  readonly vault: Vault;
  readonly resources: string[];
  readonly eventData: Record<string, string>;
}

/** A context for one call on `vault`. */
export function callContext(vault: Vault): KmsContext {
  return { vault, resources: [], eventData: {} };
}

/**
 * The key `keyIdInput` names (id, key ARN, alias name or alias ARN), checked
 * against the state `rule` of the operation, and noted as a resource of the call.
 */
export function resolveKey(ctx: KmsContext, keyIdInput: string, rule: StateRule): KeyRow {
  const key = ctx.vault.store.resolve(keyIdInput);
  const arn = ctx.vault.store.keyArn(key.keyId);
  if (!ctx.resources.includes(arn)) ctx.resources.push(arn);
  requireState(key, rule, arn);
  return key;
}
