import { generateDataKeyPairCore } from '../engine/dataKeyPair';
import { encryptionKey } from '../engine/symmetric';
import { declare, type RequestOf } from '../pipeline/declaration';

/** GenerateDataKeyPair: a fresh key pair, its private key in plaintext (PKCS#8 DER) and encrypted under a symmetric key, and its public key. */
export const generateDataKeyPair = declare({
  name: 'GenerateDataKeyPair',
  action: 'kms:GenerateDataKeyPair',
  kind: 'data',
  keys: { key: encryptionKey<RequestOf<'GenerateDataKeyPair'>>('KeyId', (request) => request.EncryptionContext) },
  handler: (ctx, request, { key }) => {
    const pair = generateDataKeyPairCore(ctx, key, request);
    try {
      return {
        PrivateKeyCiphertextBlob: pair.privateKeyCiphertext.toString('base64'),
        PrivateKeyPlaintext: pair.privateKey.toString('base64'),
        PublicKey: pair.publicKey.toString('base64'),
        KeyId: ctx.vault.store.keyArn(key.keyId),
        KeyPairSpec: request.KeyPairSpec,
        KeyMaterialId: pair.materialId,
      };
    } finally {
      pair.privateKey.fill(0);
    }
  },
});
