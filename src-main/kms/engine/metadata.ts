import type { KeyMetadata } from '../../../src-shared/kms/shapes.generated';
import type { KeyRow } from '../../vault/keysRepo';
import type { KeyStore } from './keyStore';

type Spec = NonNullable<KeyMetadata['KeySpec']>;

/** The KeyMetadata AWS KMS returns for a key. */
export function keyMetadata(store: KeyStore, row: KeyRow): KeyMetadata {
  const spec = row.keySpec as Spec;
  const current = store.versions.get(row.keyId, row.currentVersion);
  return {
    AWSAccountId: store.accountId,
    KeyId: row.keyId,
    Arn: store.keyArn(row.keyId),
    CreationDate: row.createdAt / 1000,
    Enabled: row.keyState === 'Enabled',
    Description: row.description,
    KeyUsage: row.keyUsage as NonNullable<KeyMetadata['KeyUsage']>,
    KeyState: row.keyState,
    ...(row.deletionDate === null ? {} : { DeletionDate: row.deletionDate / 1000 }),
    Origin: row.origin as NonNullable<KeyMetadata['Origin']>,
    KeyManager: row.keyManager,
    CustomerMasterKeySpec: spec as NonNullable<KeyMetadata['CustomerMasterKeySpec']>,
    KeySpec: spec,
    ...(spec === 'SYMMETRIC_DEFAULT' ? { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT' as const] } : {}),
    MultiRegion: false,
    ...(current === undefined ? {} : { CurrentKeyMaterialId: current.materialId }),
  };
}
