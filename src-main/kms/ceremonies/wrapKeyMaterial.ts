import { createPublicKey, type KeyObject } from 'node:crypto';
import { KmsError } from '../../../src-shared/errors';
import { wrapRsaAesKeyWrap } from '../../crypto/asymmetric/keyWrap';
import { oaepEncrypt } from '../../crypto/asymmetric/rsa';
import { declare } from '../pipeline/declaration';

/** The wrapping public key as given: an RSA key of 2048 bits or more (ValidationException otherwise). */
function wrappingKey(spki: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new KmsError('ValidationException', 'WrappingPublicKey is not a DER SubjectPublicKeyInfo: give the PublicKey that GetParametersForImport returned.');
  }
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new KmsError('ValidationException', 'WrappingPublicKey must be an RSA key of 2048 bits or more.');
  return key;
}

/**
 * WrapKeyMaterial (a Strongroom extension): the current material of a key
 * created Exportable, wrapped for another KMS's ImportKeyMaterial under the
 * wrapping public key of its GetParametersForImport: RSAES-OAEP directly, or
 * RSA_AES_KEY_WRAP (an AES key under OAEP, the material under it with AES
 * key wrap with padding) for material longer than OAEP takes.
 */
export const wrapKeyMaterial = declare({
  name: 'WrapKeyMaterial',
  action: 'kms:WrapKeyMaterial',
  kind: 'data',
  keys: { key: { from: 'KeyId', naming: 'id-or-alias', states: 'crypto' } },
  handler: (ctx, request, { key }) => {
    const arn = ctx.vault.store.keyArn(key.keyId);
    if (key.exportable !== 1) throw new KmsError('UnsupportedOperationException', `${arn} was not created Exportable: its key material never leaves the vault.`);
    const publicKey = wrappingKey(request.WrappingPublicKey);
    const hash = request.WrappingAlgorithm.endsWith('SHA_256') ? 'sha256' : 'sha1';
    const encrypted = ctx.vault.store.withMaterial(ctx.unlocked.rootKey.value, key.keyId, key.currentVersion, (material, materialId) => {
      ctx.eventData.keyMaterialId = materialId;
      if (request.WrappingAlgorithm.startsWith('RSA_AES_KEY_WRAP')) return { materialId, wrapped: wrapRsaAesKeyWrap(publicKey, hash, material) };
      try {
        return { materialId, wrapped: oaepEncrypt(publicKey, hash, material) };
      } catch {
        throw new KmsError('ValidationException', `The key material of ${arn} (${String(material.length)} bytes) is too long for ${request.WrappingAlgorithm}: use RSA_AES_KEY_WRAP_SHA_256.`);
      }
    });
    return { KeyId: arn, KeyMaterialId: encrypted.materialId, WrappingAlgorithm: request.WrappingAlgorithm, EncryptedKeyMaterial: encrypted.wrapped.toString('base64') };
  },
});
