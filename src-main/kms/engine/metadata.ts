import type { z } from 'zod';
import { CustomerMasterKeySpec, type KeyMetadata } from '../../../src-shared/kms/shapes.generated';
import type { KeyRow } from '../../vault/keysRepo';
import { specOf } from '../keySpecs';
import type { KeyStore } from './keyStore';

/** True for the specs the deprecated CustomerMasterKeySpec member can name. */
function isOlderSpec(spec: string): spec is z.infer<typeof CustomerMasterKeySpec> {
  return (CustomerMasterKeySpec.options as readonly string[]).includes(spec);
}

/** The KeyMetadata AWS KMS returns for a key: its algorithms are those of its spec (see keySpecs) for its usage. */
export function keyMetadata(store: KeyStore, row: KeyRow): KeyMetadata {
  const spec = specOf(row);
  const current = store.versions.get(row.keyId, row.currentVersion);
  return {
    AWSAccountId: store.accountId,
    KeyId: row.keyId,
    Arn: store.keyArn(row.keyId),
    CreationDate: row.createdAt / 1000,
    Enabled: row.keyState === 'Enabled',
    Description: row.description,
    KeyUsage: row.keyUsage,
    KeyState: row.keyState,
    ...(row.deletionDate === null ? {} : { DeletionDate: row.deletionDate / 1000 }),
    Origin: row.origin,
    KeyManager: row.keyManager,
    ...(isOlderSpec(row.keySpec) ? { CustomerMasterKeySpec: row.keySpec } : {}),
    KeySpec: row.keySpec,
    ...(row.keyUsage === 'ENCRYPT_DECRYPT' ? { EncryptionAlgorithms: [...spec.encryptionAlgorithms] } : {}),
    ...(row.keyUsage === 'SIGN_VERIFY' ? { SigningAlgorithms: [...spec.signingAlgorithms] } : {}),
    ...(row.keyUsage === 'GENERATE_VERIFY_MAC' ? { MacAlgorithms: [...spec.macAlgorithms] } : {}),
    MultiRegion: false,
    ...(current === undefined ? {} : { CurrentKeyMaterialId: current.materialId }),
  };
}
