import type { GenerateDataKeyRequest, GenerateDataKeyResponse } from '../../../src-shared/kms/shapes.generated';
import type { KmsContext } from '../context';
import { generateDataKeyCore } from '../engine/dataKey';
import { refuseRecipient } from '../engine/symmetric';

/** GenerateDataKey: a data key in plaintext and encrypted under the KMS key. */
export function generateDataKey(ctx: KmsContext, request: GenerateDataKeyRequest): GenerateDataKeyResponse {
  refuseRecipient(request.Recipient);
  const { arn, plaintext, ciphertext, materialId } = generateDataKeyCore(ctx, request, 'kms:GenerateDataKey');
  try {
    return { CiphertextBlob: ciphertext.toString('base64'), Plaintext: plaintext.toString('base64'), KeyId: arn, KeyMaterialId: materialId };
  } finally {
    plaintext.fill(0);
  }
}
