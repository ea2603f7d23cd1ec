import type { z } from 'zod';
import { assertNever } from '../../../src-shared/brand';
import { CustomerMasterKeySpec, type KeyMetadata } from '../../../src-shared/kms/shapes.generated';
import type { KeyRow } from '../../vault/keysRepo';
import { specOf, type KeySpecRow } from '../keySpecs';
import { expiryMetadata } from './importedMaterial';
import { multiRegionMetadata } from './multiRegion';
import type { KeyStore } from './keyStore';

/** True for the specs the deprecated CustomerMasterKeySpec member can name. */
function isOlderSpec(spec: string): spec is z.infer<ReturnType<typeof CustomerMasterKeySpec>> {
  return (CustomerMasterKeySpec().options as readonly string[]).includes(spec);
}

/** The algorithms KeyMetadata lists for a key of `usage`: those of its spec that serve that usage. */
function algorithms(usage: KeyRow['keyUsage'], spec: KeySpecRow): Pick<KeyMetadata, 'EncryptionAlgorithms' | 'SigningAlgorithms' | 'MacAlgorithms' | 'KeyAgreementAlgorithms'> {
  switch (usage) {
    case 'ENCRYPT_DECRYPT':
      return { EncryptionAlgorithms: [...spec.encryptionAlgorithms] };
    case 'SIGN_VERIFY':
      return { SigningAlgorithms: [...spec.signingAlgorithms] };
    case 'GENERATE_VERIFY_MAC':
      return { MacAlgorithms: [...spec.macAlgorithms] };
    case 'KEY_AGREEMENT':
      return { KeyAgreementAlgorithms: [...spec.keyAgreementAlgorithms] };
    default:
      return assertNever(usage, 'key usage');
  }
}

/** What KeyMetadata and GetPublicKey say of a key's spec: its spec (by both names, where the older one has it), usage, and algorithms. */
export function specMetadata(row: KeyRow): Pick<KeyMetadata, 'CustomerMasterKeySpec' | 'KeySpec' | 'KeyUsage' | 'EncryptionAlgorithms' | 'SigningAlgorithms' | 'MacAlgorithms' | 'KeyAgreementAlgorithms'> {
  return {
    ...(isOlderSpec(row.keySpec) ? { CustomerMasterKeySpec: row.keySpec } : {}),
    KeySpec: row.keySpec,
    KeyUsage: row.keyUsage,
    ...algorithms(row.keyUsage, specOf(row)),
  };
}

/** Where a key on a token lives, as KeyMetadata says it: its custom key store and the store's CloudHsmClusterId. */
function storeMetadata(store: KeyStore, row: KeyRow): Pick<KeyMetadata, 'CustomKeyStoreId' | 'CloudHsmClusterId'> {
  const onToken = row.origin === 'AWS_CLOUDHSM' ? store.customKeyStores.tokenKey(row.keyId) : undefined;
  if (onToken === undefined) return {};
  const keyStore = store.customKeyStores.get(onToken.customKeyStoreId);
  return { CustomKeyStoreId: onToken.customKeyStoreId, ...(keyStore === undefined ? {} : { CloudHsmClusterId: keyStore.clusterId }) };
}

/** The KeyMetadata AWS KMS returns for a key: its algorithms are those of its spec (see keySpecs) for its usage. */
export function keyMetadata(store: KeyStore, row: KeyRow): KeyMetadata {
  const current = store.versions.get(row.keyId, row.currentVersion);
  return {
    AWSAccountId: store.accountId,
    KeyId: row.keyId,
    Arn: store.keyArn(row.keyId),
    CreationDate: row.createdAt / 1000,
    Enabled: row.keyState === 'Enabled',
    Description: row.description,
    KeyState: row.keyState,
    ...(row.deletionDate === null ? {} : { DeletionDate: row.deletionDate / 1000 }),
    Origin: row.origin,
    KeyManager: row.keyManager,
    ...specMetadata(row),
    ...expiryMetadata(store, row),
    ...storeMetadata(store, row),
    ...multiRegionMetadata(row),
    ...(current === undefined ? {} : { CurrentKeyMaterialId: current.materialId }),
    ...(row.exportable === 1 ? { Exportable: true } : {}),
  };
}
