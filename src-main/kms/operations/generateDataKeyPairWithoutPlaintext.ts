import { generateDataKeyPairCore } from '../engine/dataKeyPair';
import { encryptionKey } from '../engine/symmetric';
import { declare, type RequestOf } from '../pipeline/declaration';

/** GenerateDataKeyPairWithoutPlaintext: as GenerateDataKeyPair, without the plaintext private key. */
export const generateDataKeyPairWithoutPlaintext = declare({
  name: 'GenerateDataKeyPairWithoutPlaintext',
  action: 'kms:GenerateDataKeyPairWithoutPlaintext',
  kind: 'data',
  keys: { key: encryptionKey<RequestOf<'GenerateDataKeyPairWithoutPlaintext'>>('KeyId', (request) => request.EncryptionContext) },
  handler: (ctx, request, { key }) => {
    const pair = generateDataKeyPairCore(ctx, key, request);
    pair.privateKey.fill(0);
    return {
      PrivateKeyCiphertextBlob: pair.privateKeyCiphertext.toString('base64'),
      PublicKey: pair.publicKey.toString('base64'),
      KeyId: ctx.vault.store.keyArn(key.keyId),
      KeyPairSpec: request.KeyPairSpec,
      KeyMaterialId: pair.materialId,
    };
  },
});
