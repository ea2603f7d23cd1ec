import { GCM_IV_BYTES, GCM_TAG_BYTES, gcmOpen, gcmSealInto } from '../crypto/aesGcm';
import { randomFill } from '../crypto/random';
import { serializeContext, type EncryptedDataKey } from './header';

/**
 * A data key wrapped as the Encryption SDK's raw AES keyring wraps it
 * (AES-256-GCM, 12-byte IV, 16-byte tag): provider id = the key namespace;
 * provider info = key name ‖ tag length in bits (4 bytes) ‖ IV length
 * (4 bytes) ‖ IV; ciphertext = wrapped key ‖ tag; associated data = the
 * serialized encryption context. The SDK's RawAesKeyringNode, given the
 * same namespace, name and wrapping key, opens it.
 */
export function sealRawAes(wrappingKey: Buffer, namespace: string, name: string, dataKey: Buffer, context: Readonly<Record<string, string>>): EncryptedDataKey {
  const iv = randomFill(Buffer.alloc(GCM_IV_BYTES));
  const sizes = Buffer.alloc(8);
  sizes.writeUInt32BE(GCM_TAG_BYTES * 8, 0);
  sizes.writeUInt32BE(GCM_IV_BYTES, 4);
  const ciphertext = Buffer.alloc(dataKey.length + GCM_TAG_BYTES);
  gcmSealInto(wrappingKey, iv, dataKey, serializeContext(context), ciphertext, 0);
  return { providerId: namespace, providerInfo: Buffer.concat([Buffer.from(name, 'utf8'), sizes, iv]), ciphertext };
}

/** The data key of an encrypted data key {@link sealRawAes} made with this namespace, name and wrapping key; undefined otherwise. */
export function openRawAes(wrappingKey: Buffer, namespace: string, name: string, edk: EncryptedDataKey, context: Readonly<Record<string, string>>): Buffer | undefined {
  const nameBytes = Buffer.from(name, 'utf8');
  const info = edk.providerInfo;
  if (edk.providerId !== namespace || info.length !== nameBytes.length + 8 + GCM_IV_BYTES || !info.subarray(0, nameBytes.length).equals(nameBytes)) return undefined;
  if (info.readUInt32BE(nameBytes.length) !== GCM_TAG_BYTES * 8 || info.readUInt32BE(nameBytes.length + 4) !== GCM_IV_BYTES) return undefined;
  return gcmOpen(wrappingKey, info.subarray(nameBytes.length + 8), edk.ciphertext, serializeContext(context));
}
