import type { GenerateDataKeyWithoutPlaintextRequest, GenerateDataKeyWithoutPlaintextResponse } from '../../../src-shared/kms/shapes.generated';
import type { KmsContext } from '../context';
import { generateDataKeyCore } from '../engine/dataKey';

/** GenerateDataKeyWithoutPlaintext: a data key encrypted under the KMS key; the plaintext is zero-filled and never returned. */
export function generateDataKeyWithoutPlaintext(ctx: KmsContext, request: GenerateDataKeyWithoutPlaintextRequest): GenerateDataKeyWithoutPlaintextResponse {
  const { arn, plaintext, ciphertext, materialId } = generateDataKeyCore(ctx, request, 'kms:GenerateDataKeyWithoutPlaintext');
  plaintext.fill(0);
  return { CiphertextBlob: ciphertext.toString('base64'), KeyId: arn, KeyMaterialId: materialId };
}
