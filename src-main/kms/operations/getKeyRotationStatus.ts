import type { GetKeyRotationStatusRequest, GetKeyRotationStatusResponse } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, resolveKey } from '../context';
import { requireRotatable } from '../engine/rotation';

/**
 * GetKeyRotationStatus: whether automatic rotation is on, with its period
 * and next date. A key pending deletion reports false (rotation resumes if
 * the deletion is cancelled); a disabled key keeps its status.
 */
export function getKeyRotationStatus(ctx: KmsContext, request: GetKeyRotationStatusRequest): GetKeyRotationStatusResponse {
  const key = resolveKey(ctx, request.KeyId, 'any');
  requireRotatable(ctx.vault.store, key);
  authorizeKey(ctx, key, 'kms:GetKeyRotationStatus');
  const { rotationPeriodDays, nextRotationAt } = key;
  if (rotationPeriodDays === null || nextRotationAt === null || key.keyState === 'PendingDeletion') {
    return { KeyRotationEnabled: false, KeyId: key.keyId };
  }
  return { KeyRotationEnabled: true, KeyId: key.keyId, RotationPeriodInDays: rotationPeriodDays, NextRotationDate: nextRotationAt / 1000 };
}
