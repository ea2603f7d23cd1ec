import type { EncryptRequest, EncryptResponse } from '../../../src-shared/kms/shapes.generated';
import { authorize } from '../../policy/authorize';
import { resolveKey, type KmsContext } from '../context';
import { encryptBlob, requireSymmetricEncryption, stopIfDryRun } from '../engine/symmetric';

/** Encrypt: up to 4096 bytes under a symmetric key, with the encryption context bound as AAD. */
export function encrypt(ctx: KmsContext, request: EncryptRequest): EncryptResponse {
  const key = resolveKey(ctx, request.KeyId, 'crypto');
  requireSymmetricEncryption(ctx, key, request.EncryptionAlgorithm);
  const arn = ctx.vault.store.keyArn(key.keyId);
  ctx.vault.use(({ principal }) => {
    authorize({ principal, action: 'kms:Encrypt', resource: arn, ...(request.EncryptionContext ? { context: request.EncryptionContext } : {}) });
  });
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
