import type { GetKeyRotationStatusRequest, GetKeyRotationStatusResponse } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, resolveKey } from '../context';
import { requireRotatable } from '../engine/rotation';

/**
 * GetKeyRotationStatus: whether automatic rotation is on, with its period
 * and next date, for the key named by its ARN (as AWS answers). A key
 * pending deletion reports false (rotation resumes if the deletion is
 * cancelled); a disabled key keeps its status.
 */
export function getKeyRotationStatus(ctx: KmsContext, request: GetKeyRotationStatusRequest): GetKeyRotationStatusResponse {
  const key = resolveKey(ctx, request.KeyId, 'any');
  requireRotatable(ctx.vault.store, key);
  authorizeKey(ctx, key, 'kms:GetKeyRotationStatus');
  const { rotationPeriodDays, nextRotationAt } = key;
  const arn = ctx.vault.store.keyArn(key.keyId);
  if (rotationPeriodDays === null || nextRotationAt === null || key.keyState === 'PendingDeletion') {
    return { KeyRotationEnabled: false, KeyId: arn };
  }
  return { KeyRotationEnabled: true, KeyId: arn, RotationPeriodInDays: rotationPeriodDays, NextRotationDate: nextRotationAt / 1000 };
}
