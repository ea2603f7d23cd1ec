import { randomBytes, randomUUID } from 'node:crypto';
import { assertNever } from '../../../src-shared/brand';
import { DAY_MS } from '../../../src-shared/limits';
import { generateEcKey } from '../../crypto/asymmetric/ec';
import { generateEd25519Key } from '../../crypto/asymmetric/ed25519';
import { generateMlDsaKey } from '../../crypto/asymmetric/mlDsa';
import { generateRsaKey } from '../../crypto/asymmetric/rsa';
import { wrapBackingKey } from '../../crypto/backingKeys';
import { SecretBytes } from '../../crypto/secret';
import type { KeyRow } from '../../vault/keysRepo';
import type { KeyVersionRow } from '../../vault/keyVersionsRepo';
import { specOf, type KeySpecRow, type Material } from '../keySpecs';
import type { Vault } from '../lifecycle/vault';
import type { KeyStore } from './keyStore';
import { newMultiRegionKeyId, storedMultiRegion } from './multiRegion';

const AES_KEY_BYTES = 32;

/** A new key-material id, as AWS shows them: 64 lower-case hex digits. */
export function newMaterialId(): string {
  return randomBytes(32).toString('hex');
}

/** Fresh key material of `kind`: random bytes for AES and HMAC keys, a new private key (PKCS#8 DER) for key pairs. */
export function newMaterial(kind: Material): SecretBytes {
  switch (kind.kind) {
    case 'aes':
      return SecretBytes.random(AES_KEY_BYTES);
    case 'hmac':
      return SecretBytes.random(kind.bytes);
    case 'rsa':
      return SecretBytes.adopt(generateRsaKey(kind.bits));
    case 'ec':
      return SecretBytes.adopt(generateEcKey(kind.curve));
    case 'ed25519':
      return SecretBytes.adopt(generateEd25519Key());
    case 'mldsa':
      return SecretBytes.adopt(generateMlDsaKey(kind.level));
    default:
      return assertNever(kind, 'key material');
  }
}

/**
 * Generates fresh backing key material for `version` of `key`, as its spec
 * says, and stores it wrapped by the root key. The caller runs this inside
 * the transaction that also records the key or its new current version.
 */
export function addBackingKey(store: KeyStore, rootKey: Buffer, key: Pick<KeyRow, 'keyId' | 'keySpec'>, version: number, rotationType: KeyVersionRow['rotationType'], now: number): KeyVersionRow {
  const material = newMaterial(specOf(key).material);
  try {
    const row: KeyVersionRow = { keyId: key.keyId, version, materialId: newMaterialId(), wrapped: wrapBackingKey(rootKey, key.keyId, version, material.value), createdAt: now, rotationType };
    store.versions.insert(row);
    return row;
  } finally {
    material.destroy();
  }
}

/** What a new key is: its spec and usage, and who manages it. */
export interface NewKey {
  readonly spec: KeySpecRow;
  readonly usage: KeyRow['keyUsage'];
  readonly description: string;
  readonly keyManager: KeyRow['keyManager'];
  readonly rotationPeriodDays?: number;
  /** EXTERNAL: the key waits, PendingImport and without material, for ImportKeyMaterial; AWS_CLOUDHSM: its material is on a token (see {@link createKeyRecord}'s `alongside`). */
  readonly origin?: 'AWS_KMS' | 'EXTERNAL' | 'AWS_CLOUDHSM';
  /** Its key policy (JSON text, checked); AWS's default when absent. */
  readonly policy?: string;
  /** Its material may be wrapped out for another KMS (strongroom byok wrap). */
  readonly exportable?: boolean;
  /** A multi-Region primary key (an `mrk-` id), whose replicas other vaults may hold. */
  readonly multiRegion?: boolean;
}

/**
 * Creates a KMS key row, its key policy and its first backing key (none for
 * EXTERNAL or token material) in one transaction, with whatever `alongside`
 * records of it; used by CreateKey and by managed keys.
 */
export function createKeyRecord(vault: Vault, fields: NewKey, alongside?: (row: KeyRow) => void): KeyRow {
  const now = Date.now();
  const { store } = vault;
  const keyId = fields.multiRegion === true ? newMultiRegionKeyId() : randomUUID();
  const row: KeyRow = {
    keyId,
    createdAt: now,
    description: fields.description,
    keySpec: fields.spec.spec,
    keyUsage: fields.usage,
    origin: fields.origin ?? 'AWS_KMS',
    keyManager: fields.keyManager,
    keyState: fields.origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
    deletionDate: null,
    pendingWindowDays: null,
    rotationPeriodDays: fields.rotationPeriodDays ?? null,
    nextRotationAt: fields.rotationPeriodDays === undefined ? null : now + fields.rotationPeriodDays * DAY_MS,
    onDemandRotations: 0,
    currentVersion: fields.origin === 'EXTERNAL' ? 0 : 1,
    exportable: fields.exportable === true ? 1 : 0,
    multiRegion: fields.multiRegion === true ? storedMultiRegion({ MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: store.keyArn(keyId), Region: store.region }, ReplicaKeys: [] }) : null,
  };
  vault.use(({ rootKey }) => {
    store.db.transaction(() => {
      store.keys.insert(row);
      store.putKeyPolicy(row.keyId, fields.policy ?? store.defaultPolicy);
      if (row.origin === 'AWS_KMS') addBackingKey(store, rootKey.value, row, 1, null, now);
      alongside?.(row);
    })();
  });
  return row;
}
