import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { wrapRsaAesKeyWrap } from '../crypto/asymmetric/keyWrap';
import type { Kms } from './kmsCalls';
import { UsageError } from './output';

const CURVES: Readonly<Record<string, string>> = { prime256v1: 'ECC_NIST_P256', secp384r1: 'ECC_NIST_P384', secp521r1: 'ECC_NIST_P521' };

/** The KMS key spec and usage a private key becomes as an identity: RSA to decrypt, EC for key agreement. */
function specOf(key: KeyObject): { KeySpec: string; KeyUsage: string } {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' && [2048, 3072, 4096].includes(details.modulusLength ?? 0)) return { KeySpec: `RSA_${String(details.modulusLength)}`, KeyUsage: 'ENCRYPT_DECRYPT' };
  const curve = CURVES[details.namedCurve ?? ''];
  if (key.asymmetricKeyType === 'ec' && curve !== undefined) return { KeySpec: curve, KeyUsage: 'KEY_AGREEMENT' };
  throw new UsageError(`a ${String(key.asymmetricKeyType)} key${details.namedCurve === undefined ? '' : ` on ${details.namedCurve}`} is not an identity the vault imports: RSA (2048, 3072 or 4096 bits) or EC on P-256, P-384 or P-521`);
}

/**
 * A PEM private key imported as a KMS key of the vault (origin EXTERNAL,
 * its material wrapped for this import alone), named `alias/NAME` when a
 * name is given. A key whose import fails is scheduled for deletion, so
 * that no key waits for material that never comes.
 */
export async function importPrivateKey(kms: Kms, pem: string, name: string | undefined, description: string | undefined): Promise<Record<string, unknown>> {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new UsageError('the file holds no private key that can be read (PEM PKCS#8, PKCS#1 or SEC 1, unencrypted)');
  }
  const spec = specOf(key);
  const { KeyMetadata } = (await kms('CreateKey', { ...spec, Origin: 'EXTERNAL', Description: description ?? 'an identity imported from a private key' })) as { KeyMetadata: { KeyId: string } };
  const keyId = KeyMetadata.KeyId;
  const material = key.export({ type: 'pkcs8', format: 'der' });
  try {
    const { PublicKey, ImportToken } = await kms('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: 'RSA_4096' });
    const encrypted = wrapRsaAesKeyWrap(createPublicKey({ key: Buffer.from(String(PublicKey), 'base64'), format: 'der', type: 'spki' }), 'sha256', material);
    await kms('ImportKeyMaterial', { KeyId: keyId, ImportToken, EncryptedKeyMaterial: encrypted.toString('base64'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    if (name !== undefined) await kms('CreateAlias', { AliasName: `alias/${name}`, TargetKeyId: keyId });
  } catch (error) {
    await kms('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 }).catch(() => undefined);
    throw error;
  } finally {
    material.fill(0);
  }
  return (await kms('DescribeKey', { KeyId: keyId })).KeyMetadata as Record<string, unknown>;
}
