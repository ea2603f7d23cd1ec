import type { StoredKeyState } from '../../vault/keysRepo';
import { authorize } from '../../policy/authorize';
import { resolveKey, type KmsContext } from '../context';

/** Enables or disables a key (EnableKey, DisableKey): allowed from Enabled or Disabled; PendingDeletion and PendingImport give KMSInvalidStateException. */
export function setKeyState(ctx: KmsContext, keyIdInput: string, state: Extract<StoredKeyState, 'Enabled' | 'Disabled'>, action: 'kms:EnableKey' | 'kms:DisableKey'): void {
  const key = resolveKey(ctx, keyIdInput, 'toggle');
  const arn = ctx.vault.store.keyArn(key.keyId);
  ctx.vault.use(({ principal }) => {
    authorize({ principal, action, resource: arn, keyManager: key.keyManager });
  });
  ctx.vault.store.keys.update(key.keyId, { keyState: state });
}
