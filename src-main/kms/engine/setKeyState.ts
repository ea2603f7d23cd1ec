import type { StoredKeyState } from '../../vault/keysRepo';
import { authorizeKey, type KmsContext, resolveKey } from '../context';

/** Enables or disables a key (EnableKey, DisableKey): allowed from Enabled or Disabled; PendingDeletion and PendingImport give KMSInvalidStateException. A disabled key's cached backing keys are zero-filled: nothing may use them until it is enabled. */
export function setKeyState(ctx: KmsContext, keyIdInput: string, state: Extract<StoredKeyState, 'Enabled' | 'Disabled'>, action: 'kms:EnableKey' | 'kms:DisableKey'): void {
  const key = resolveKey(ctx, keyIdInput, 'toggle');
  authorizeKey(ctx, key, action);
  ctx.vault.store.keys.update(key.keyId, { keyState: state });
  if (state === 'Disabled') ctx.vault.store.clearCache(key.keyId);
}
