import type { EncryptRequest, EncryptResponse } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, refuseGrantTokens, resolveKey } from '../context';
import { encryptBlob, requireSymmetricEncryption, stopIfDryRun } from '../engine/symmetric';

/** Encrypt: up to 4096 bytes under a symmetric key, with the encryption context bound as AAD. */
export function encrypt(ctx: KmsContext, request: EncryptRequest): EncryptResponse {
  refuseGrantTokens(request.GrantTokens);
  const key = resolveKey(ctx, request.KeyId, 'crypto', 'id-or-alias');
  requireSymmetricEncryption(ctx, key, request.EncryptionAlgorithm);
  const arn = ctx.vault.store.keyArn(key.keyId);
  authorizeKey(ctx, key, 'kms:Encrypt', request.EncryptionContext);
  stopIfDryRun(request.DryRun);
  const plaintext = Buffer.from(request.Plaintext, 'base64');
  try {
    const { blob, materialId } = encryptBlob(ctx, key, plaintext, request.EncryptionContext);
    ctx.eventData.keyMaterialId = materialId;
    return { CiphertextBlob: blob.toString('base64'), KeyId: arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  } finally {
    plaintext.fill(0);
  }
}
