import type { StoredKeyState } from '../../vault/keysRepo';
import type { AuthorizedKey, KmsContext } from '../pipeline/declaration';

/** Enables or disables a key (EnableKey, DisableKey). A disabled key's cached backing keys are zero-filled: nothing may use them until it is enabled. */
export function setKeyState(ctx: KmsContext, key: AuthorizedKey, state: Extract<StoredKeyState, 'Enabled' | 'Disabled'>): void {
  ctx.vault.store.keys.update(key.keyId, { keyState: state });
  if (state === 'Disabled') ctx.vault.store.clearCache(key.keyId);
}
