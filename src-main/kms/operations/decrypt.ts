import type { DecryptRequest, DecryptResponse } from '../../../src-shared/kms/shapes.generated';
import type { KeyRow } from '../../vault/keysRepo';
import { authorizeKey, type KmsContext, refuseGrantTokens } from '../context';
import { ciphertextOf, decryptBlob, dryRunKey, ignoresCiphertext, refuseRecipient, stopIfDryRun } from '../engine/symmetric';

/**
 * Decrypt: the key comes from the ciphertext blob (KeyId is optional, and
 * IncorrectKeyException when it names another key); the encryption context
 * must be exactly the one used to encrypt. A DryRun with IGNORE_CIPHERTEXT
 * checks permission on KeyId alone.
 */
export function decrypt(ctx: KmsContext, request: DecryptRequest): DecryptResponse {
  refuseRecipient(request.Recipient);
  refuseGrantTokens(request.GrantTokens);
  const authorizeDecrypt = (key: KeyRow): void => {
    authorizeKey(ctx, key, 'kms:Decrypt', request.EncryptionContext);
  };
  if (ignoresCiphertext(request)) {
    authorizeDecrypt(dryRunKey(ctx, request.KeyId, 'KeyId', request.EncryptionAlgorithm));
    stopIfDryRun(true);
  }
  const blob = ciphertextOf(request.CiphertextBlob);
  const { key, plaintext, materialId } = decryptBlob(ctx, blob, request.EncryptionContext, request.KeyId, request.EncryptionAlgorithm, authorizeDecrypt);
  ctx.eventData.keyMaterialId = materialId;
  try {
    const arn = ctx.vault.store.keyArn(key.keyId);
    stopIfDryRun(request.DryRun);
    return { KeyId: arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', KeyMaterialId: materialId };
  } finally {
    plaintext.fill(0);
  }
}
