import { checkDataKeyRequest, generateDataKeyCore } from '../engine/dataKey';
import { encryptionKey } from '../engine/symmetric';
import { declare, type RequestOf } from '../pipeline/declaration';

/** GenerateDataKeyWithoutPlaintext: a data key encrypted under the KMS key; the plaintext is zero-filled and never returned. */
export const generateDataKeyWithoutPlaintext = declare({
  name: 'GenerateDataKeyWithoutPlaintext',
  action: 'kms:GenerateDataKeyWithoutPlaintext',
  kind: 'data',
  keys: { key: encryptionKey<RequestOf<'GenerateDataKeyWithoutPlaintext'>>('KeyId', (request) => request.EncryptionContext) },
  check: checkDataKeyRequest,
  handler: (ctx, request, { key }) => {
    const { arn, plaintext, ciphertext, materialId } = generateDataKeyCore(ctx, key, request);
    plaintext.fill(0);
    return { CiphertextBlob: ciphertext.toString('base64'), KeyId: arn, KeyMaterialId: materialId };
  },
});
