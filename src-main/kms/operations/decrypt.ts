import { checkContextForAlgorithm, decryptWith, isAsymmetricAlgorithm } from '../engine/keyEncryption';
import { checkDecryptRequest, ciphertextKey, ciphertextOf, encryptionKey } from '../engine/symmetric';
import { declare, type RequestOf } from '../pipeline/declaration';

/**
 * Decrypt: the key comes from the ciphertext blob (KeyId is optional, and
 * IncorrectKeyException when it names another key); the encryption context
 * must be exactly the one used to encrypt. An RSAES-OAEP ciphertext names
 * no key: KeyId is required. A DryRun with IGNORE_CIPHERTEXT
 * checks permission on KeyId alone.
 */
export const decrypt = declare({
  name: 'Decrypt',
  action: 'kms:Decrypt',
  kind: 'data',
  keys: {
    key: encryptionKey<RequestOf<'Decrypt'>>(
      (request, store) => ciphertextKey(request, request.KeyId, store, isAsymmetricAlgorithm(request.EncryptionAlgorithm)),
      (request) => request.EncryptionContext,
      (request) => request.EncryptionAlgorithm,
    ),
  },
  check: (request) => {
    checkDecryptRequest(request, request.KeyId, 'KeyId', isAsymmetricAlgorithm(request.EncryptionAlgorithm));
    checkContextForAlgorithm(request.EncryptionAlgorithm, request.EncryptionContext, 'EncryptionContext');
  },
  dryRunDecrypts: true,
  recordedDefaults: { EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  handler: (ctx, request, { key }) => {
    const { plaintext, materialId } = decryptWith(ctx, key, ciphertextOf(request), request.EncryptionContext, request.EncryptionAlgorithm);
    ctx.eventData.keyMaterialId = materialId;
    try {
      return { KeyId: ctx.vault.store.keyArn(key.keyId), Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: request.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT', KeyMaterialId: materialId };
    } finally {
      plaintext.fill(0);
    }
  },
});
