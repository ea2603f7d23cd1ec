import { randomBytes, randomUUID } from 'node:crypto';
import { DAY_MS } from '../../../src-shared/limits';
import { wrapBackingKey } from '../../crypto/backingKeys';
import { SecretBytes } from '../../crypto/secret';
import type { KeyRow } from '../../vault/keysRepo';
import type { KeyVersionRow } from '../../vault/keyVersionsRepo';
import type { KmsContext } from '../context';
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

/** Creates a KMS key row and its first backing key in one transaction; used by CreateKey and by managed keys. */
export function createKeyRecord(ctx: KmsContext, fields: Pick<KeyRow, 'description' | 'keyManager'> & { rotationPeriodDays?: number }): KeyRow {
  const now = Date.now();
  const row: KeyRow = {
    keyId: randomUUID(),
    createdAt: now,
    description: fields.description,
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    keyManager: fields.keyManager,
    keyState: 'Enabled',
    deletionDate: null,
    pendingWindowDays: null,
    rotationPeriodDays: fields.rotationPeriodDays ?? null,
    nextRotationAt: fields.rotationPeriodDays === undefined ? null : now + fields.rotationPeriodDays * DAY_MS,
    onDemandRotations: 0,
    currentVersion: 1,
  };
  const { store } = ctx.vault;
  ctx.vault.use(({ rootKey }) => {
    store.db.transaction(() => {
      store.keys.insert(row);
      addBackingKey(store, rootKey.value, row.keyId, 1, null, now);
    })();
  });
  ctx.resources.push(store.keyArn(row.keyId));
  return row;
}
