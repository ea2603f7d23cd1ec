import type { ReEncryptRequest, ReEncryptResponse } from '../../../src-shared/kms/shapes.generated';
import type { KeyRow } from '../../vault/keysRepo';
import { authorizeKey, type KmsContext, refuseGrantTokens, resolveKey } from '../context';
import { ciphertextOf, decryptBlob, dryRunKey, encryptBlob, ignoresCiphertext, requireSymmetricEncryption, stopIfDryRun } from '../engine/symmetric';

/**
 * ReEncrypt: decrypts under the source key and context and encrypts under
 * the destination key and context, without the plaintext leaving the vault.
 * A DryRun with IGNORE_CIPHERTEXT checks permission on SourceKeyId alone.
 * The destination is resolved first, so that a bad one is refused before
 * anything is decrypted; the call's resources still list it last, after the
 * source, as CloudTrail does, whatever the outcome.
 */
export function reEncrypt(ctx: KmsContext, request: ReEncryptRequest): ReEncryptResponse {
  refuseGrantTokens(request.GrantTokens);
  const destination = resolveKey(ctx, request.DestinationKeyId, 'crypto', 'id-or-alias');
  const destinationArn = ctx.vault.store.keyArn(destination.keyId);
  try {
    return reEncryptTo(ctx, request, destination, destinationArn);
  } finally {
    ctx.resources.push(...ctx.resources.splice(ctx.resources.indexOf(destinationArn), 1));
  }
}

function reEncryptTo(ctx: KmsContext, request: ReEncryptRequest, destination: KeyRow, destinationArn: string): ReEncryptResponse {
  requireSymmetricEncryption(ctx, destination, request.DestinationEncryptionAlgorithm);
  const authorizeReEncrypt = (source: KeyRow): void => {
    authorizeKey(ctx, source, 'kms:ReEncryptFrom', request.SourceEncryptionContext);
    authorizeKey(ctx, destination, 'kms:ReEncryptTo', request.DestinationEncryptionContext);
  };
  if (ignoresCiphertext(request)) {
    authorizeReEncrypt(dryRunKey(ctx, request.SourceKeyId, 'SourceKeyId', request.SourceEncryptionAlgorithm));
    stopIfDryRun(true);
  }
  const { key: source, plaintext, materialId } = decryptBlob(
    ctx,
    ciphertextOf(request.CiphertextBlob),
    request.SourceEncryptionContext,
    request.SourceKeyId,
    request.SourceEncryptionAlgorithm,
    authorizeReEncrypt,
  );
  ctx.eventData.sourceKeyMaterialId = materialId;
  try {
    const sourceArn = ctx.vault.store.keyArn(source.keyId);
    stopIfDryRun(request.DryRun);
    const { blob, materialId: destinationMaterialId } = encryptBlob(ctx, destination, plaintext, request.DestinationEncryptionContext);
    ctx.eventData.destinationKeyMaterialId = destinationMaterialId;
    return {
      CiphertextBlob: blob.toString('base64'),
      SourceKeyId: sourceArn,
      KeyId: destinationArn,
      SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      SourceKeyMaterialId: materialId,
      DestinationKeyMaterialId: destinationMaterialId,
    };
  } finally {
    plaintext.fill(0);
  }
}
