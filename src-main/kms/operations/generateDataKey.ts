import { checkDataKeyRequest, generateDataKeyCore } from '../engine/dataKey';
import { encryptionKey } from '../engine/symmetric';
import { declare, type RequestOf } from '../pipeline/declaration';

/** GenerateDataKey: a data key in plaintext and encrypted under the KMS key. */
export const generateDataKey = declare({
  name: 'GenerateDataKey',
  action: 'kms:GenerateDataKey',
  kind: 'data',
  keys: { key: encryptionKey<RequestOf<'GenerateDataKey'>>('KeyId', (request) => request.EncryptionContext) },
  check: checkDataKeyRequest,
  handler: (ctx, request, { key }) => {
    const { arn, plaintext, ciphertext, materialId } = generateDataKeyCore(ctx, key, request);
    try {
      return { CiphertextBlob: ciphertext.toString('base64'), Plaintext: plaintext.toString('base64'), KeyId: arn, KeyMaterialId: materialId };
    } finally {
      plaintext.fill(0);
    }
  },
});
