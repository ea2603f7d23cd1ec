import { KmsError } from '../../../src-shared/errors';
import type { GenerateDataKeyRequest } from '../../../src-shared/kms/shapes.generated';
import { randomFill } from '../../crypto/random';
import { authorizeKey, type KmsContext, refuseGrantTokens, resolveKey } from '../context';
import { encryptBlob, requireSymmetricEncryption, stopIfDryRun } from './symmetric';

type DataKeyRequest = Omit<GenerateDataKeyRequest, 'Recipient'>;

/**
 * A fresh data key (KeySpec AES_128 / AES_256, or NumberOfBytes 1–1024) and
 * its encryption under the KMS key. The caller zeroizes `plaintext`.
 */
export function generateDataKeyCore(ctx: KmsContext, request: DataKeyRequest, action: `kms:${string}`): { arn: string; plaintext: Buffer; ciphertext: Buffer; materialId: string } {
  const { KeySpec, NumberOfBytes } = request;
  if ((KeySpec === undefined) === (NumberOfBytes === undefined)) {
    throw new KmsError('ValidationException', 'Give exactly one of KeySpec (AES_128 or AES_256) and NumberOfBytes (1 to 1024).');
  }
  refuseGrantTokens(request.GrantTokens);
  const key = resolveKey(ctx, request.KeyId, 'crypto', 'id-or-alias');
  requireSymmetricEncryption(ctx, key, undefined);
  const arn = ctx.vault.store.keyArn(key.keyId);
  authorizeKey(ctx, key, action, request.EncryptionContext);
  stopIfDryRun(request.DryRun);
  const length = NumberOfBytes ?? (KeySpec === 'AES_128' ? 16 : 32);
  const plaintext = randomFill(Buffer.alloc(length));
  try {
    const { blob, materialId } = encryptBlob(ctx, key, plaintext, request.EncryptionContext);
    ctx.eventData.keyMaterialId = materialId;
    return { arn, plaintext, ciphertext: blob, materialId };
  } catch (error) {
    plaintext.fill(0);
    throw error;
  }
}
