import type { KeyRow } from '../../vault/keysRepo';
import type { KeyVersionRow } from '../../vault/keyVersionsRepo';
import type { Vault } from '../lifecycle/vault';
import { addBackingKey } from './keyMaterial';

/**
 * Adds a backing-key version to `key` and makes it current, applying
 * `changes` to the key row in the same transaction, then drops the key's
 * cached backing keys. New encryptions use the new version; every older
 * ciphertext names its own version and still decrypts.
 */
export function rotateKeyMaterial(
  vault: Vault,
  key: KeyRow,
  rotationType: NonNullable<KeyVersionRow['rotationType']>,
  changes: Partial<Omit<KeyRow, 'keyId'>> = {},
  now = Date.now(),
): KeyVersionRow {
  const { store } = vault;
  const added = vault.use(({ rootKey }) =>
    store.db.transaction(() => {
      const row = addBackingKey(store, rootKey.value, key, key.currentVersion + 1, rotationType, now);
      store.keys.update(key.keyId, { ...changes, currentVersion: row.version });
      return row;
    })(),
  );
  store.clearCache(key.keyId);
  return added;
}
