import { randomBytes } from 'node:crypto';
import { wrapBackingKey } from '../../crypto/backingKeys';
import { SecretBytes } from '../../crypto/secret';
import type { KeyVersionRow } from '../../vault/keyVersionsRepo';
import type { KeyStore } from './keyStore';

/** A new key-material id, as AWS shows them: 64 lower-case hex digits. */
export function newMaterialId(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Generates a fresh 256-bit backing key for `version` of `keyId` and stores it
 * wrapped by the root key. The caller runs this inside the transaction that
 * also records the key or its new current version.
 */
export function addBackingKey(store: KeyStore, rootKey: Buffer, keyId: string, version: number, rotationType: KeyVersionRow['rotationType'], now: number): KeyVersionRow {
  const material = SecretBytes.random(32);
  try {
    const row: KeyVersionRow = { keyId, version, materialId: newMaterialId(), wrapped: wrapBackingKey(rootKey, keyId, version, material.value), createdAt: now, rotationType };
    store.versions.insert(row);
    return row;
  } finally {
    material.destroy();
  }
}
