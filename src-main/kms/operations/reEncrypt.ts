import { ciphertextKey, ciphertextOf, decryptBlob, encryptBlob } from '../engine/symmetric';
import { declare } from '../pipeline/declaration';

/**
 * ReEncrypt: decrypts under the source key and context and encrypts under
 * the destination key and context, without the plaintext leaving the vault.
 * Both keys are checked before anything is decrypted. A DryRun with
 * IGNORE_CIPHERTEXT checks permission on SourceKeyId alone.
 */
export const reEncrypt = declare({
  name: 'ReEncrypt',
  action: 'kms:ReEncrypt*',
  kind: 'data',
  keys: {
    source: {
      from: (request, store) => ciphertextKey(request, request.SourceKeyId, 'SourceKeyId', store),
      naming: 'id-or-alias',
      action: 'kms:ReEncryptFrom',
      states: 'crypto',
      usage: { usage: 'ENCRYPT_DECRYPT', algorithm: (request) => request.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' },
      context: (request) => request.SourceEncryptionContext,
    },
    destination: {
      from: 'DestinationKeyId',
      naming: 'id-or-alias',
      action: 'kms:ReEncryptTo',
      states: 'crypto',
      usage: { usage: 'ENCRYPT_DECRYPT', algorithm: (request) => request.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' },
      context: (request) => request.DestinationEncryptionContext,
    },
  },
  recordedDefaults: { SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  handler: (ctx, request, { source, destination }) => {
    const { plaintext, materialId } = decryptBlob(ctx, source, ciphertextOf(request.CiphertextBlob), request.SourceEncryptionContext);
    ctx.eventData.sourceKeyMaterialId = materialId;
    try {
      const { blob, materialId: destinationMaterialId } = encryptBlob(ctx, destination, plaintext, request.DestinationEncryptionContext);
      ctx.eventData.destinationKeyMaterialId = destinationMaterialId;
      return {
        CiphertextBlob: blob.toString('base64'),
        SourceKeyId: ctx.vault.store.keyArn(source.keyId),
        KeyId: ctx.vault.store.keyArn(destination.keyId),
        SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        SourceKeyMaterialId: materialId,
        DestinationKeyMaterialId: destinationMaterialId,
      };
    } finally {
      plaintext.fill(0);
    }
  },
});
