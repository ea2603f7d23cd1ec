import { checkDecryptRequest, ciphertextKey, ciphertextOf, decryptBlob, encryptionKey } from '../engine/symmetric';
import { declare, type RequestOf } from '../pipeline/declaration';

/**
 * Decrypt: the key comes from the ciphertext blob (KeyId is optional, and
 * IncorrectKeyException when it names another key); the encryption context
 * must be exactly the one used to encrypt. A DryRun with IGNORE_CIPHERTEXT
 * checks permission on KeyId alone.
 */
export const decrypt = declare({
  name: 'Decrypt',
  action: 'kms:Decrypt',
  kind: 'data',
  keys: {
    key: encryptionKey<RequestOf<'Decrypt'>>(
      (request, store) => ciphertextKey(request, request.KeyId, store),
      (request) => request.EncryptionContext,
      (request) => request.EncryptionAlgorithm,
    ),
  },
  check: (request) => {
    checkDecryptRequest(request, request.KeyId, 'KeyId');
  },
  dryRunDecrypts: true,
  recordedDefaults: { EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  handler: (ctx, request, { key }) => {
    const { plaintext, materialId } = decryptBlob(ctx, key, ciphertextOf(request), request.EncryptionContext);
    ctx.eventData.keyMaterialId = materialId;
    try {
      return { KeyId: ctx.vault.store.keyArn(key.keyId), Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: request.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT', KeyMaterialId: materialId };
    } finally {
      plaintext.fill(0);
    }
  },
});
