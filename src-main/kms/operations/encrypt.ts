import { checkContextForAlgorithm, encryptWith } from '../engine/keyEncryption';
import { encryptionKey } from '../engine/symmetric';
import { declare, type RequestOf } from '../pipeline/declaration';

/** Encrypt: up to 4096 bytes under a symmetric key, with the encryption context bound as AAD; or under an RSA key with RSAES-OAEP. */
export const encrypt = declare({
  name: 'Encrypt',
  action: 'kms:Encrypt',
  kind: 'data',
  keys: { key: encryptionKey<RequestOf<'Encrypt'>>('KeyId', (request) => request.EncryptionContext, (request) => request.EncryptionAlgorithm) },
  check: (request) => {
    checkContextForAlgorithm(request.EncryptionAlgorithm, request.EncryptionContext, 'EncryptionContext');
  },
  recordedDefaults: { EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  handler: (ctx, request, { key }) => {
    const plaintext = Buffer.from(request.Plaintext, 'base64');
    try {
      const { blob, materialId } = encryptWith(ctx, key, plaintext, request.EncryptionContext, request.EncryptionAlgorithm);
      ctx.eventData.keyMaterialId = materialId;
      return { CiphertextBlob: blob.toString('base64'), KeyId: ctx.vault.store.keyArn(key.keyId), EncryptionAlgorithm: request.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' };
    } finally {
      plaintext.fill(0);
    }
  },
});
