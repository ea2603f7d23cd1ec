import { checkContextForAlgorithm, decryptWith, encryptWith, isAsymmetricAlgorithm } from '../engine/keyEncryption';
import { checkDecryptRequest, ciphertextKey, ciphertextOf, encryptionKey } from '../engine/symmetric';
import { declare, type RequestOf } from '../pipeline/declaration';

/**
 * ReEncrypt: decrypts under the source key and context and encrypts under
 * the destination key and context, without the plaintext leaving the vault.
 * Both keys are checked before anything is decrypted. A DryRun with
 * IGNORE_CIPHERTEXT checks permission on SourceKeyId alone.
 */
export const reEncrypt = declare({
  name: 'ReEncrypt',
  action: 'kms:ReEncrypt*', // each key has its own: ReEncryptFrom, ReEncryptTo
  kind: 'data',
  keys: {
    source: encryptionKey<RequestOf<'ReEncrypt'>>(
      (request, store) => ciphertextKey(request, request.SourceKeyId, store, isAsymmetricAlgorithm(request.SourceEncryptionAlgorithm)),
      (request) => request.SourceEncryptionContext,
      (request) => request.SourceEncryptionAlgorithm,
      'kms:ReEncryptFrom',
    ),
    destination: encryptionKey<RequestOf<'ReEncrypt'>>('DestinationKeyId', (request) => request.DestinationEncryptionContext, (request) => request.DestinationEncryptionAlgorithm, 'kms:ReEncryptTo'),
  },
  check: (request) => {
    checkDecryptRequest(request, request.SourceKeyId, 'SourceKeyId', isAsymmetricAlgorithm(request.SourceEncryptionAlgorithm));
    checkContextForAlgorithm(request.SourceEncryptionAlgorithm, request.SourceEncryptionContext, 'SourceEncryptionContext');
    checkContextForAlgorithm(request.DestinationEncryptionAlgorithm, request.DestinationEncryptionContext, 'DestinationEncryptionContext');
  },
  dryRunDecrypts: true,
  recordedDefaults: { SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  handler: (ctx, request, { source, destination }) => {
    const { plaintext, materialId } = decryptWith(ctx, source, ciphertextOf(request), request.SourceEncryptionContext, request.SourceEncryptionAlgorithm);
    ctx.eventData.sourceKeyMaterialId = materialId;
    try {
      const { blob, materialId: destinationMaterialId } = encryptWith(ctx, destination, plaintext, request.DestinationEncryptionContext, request.DestinationEncryptionAlgorithm);
      ctx.eventData.destinationKeyMaterialId = destinationMaterialId;
      return {
        CiphertextBlob: blob.toString('base64'),
        SourceKeyId: ctx.vault.store.keyArn(source.keyId),
        KeyId: ctx.vault.store.keyArn(destination.keyId),
        SourceEncryptionAlgorithm: request.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
        DestinationEncryptionAlgorithm: request.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
        SourceKeyMaterialId: materialId,
        DestinationKeyMaterialId: destinationMaterialId,
      };
    } finally {
      plaintext.fill(0);
    }
  },
});
