import { KmsError } from '../../../src-shared/errors';
import { DAY_MS, LIMITS } from '../../../src-shared/limits';
import type { ScheduleKeyDeletionRequest, ScheduleKeyDeletionResponse } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, resolveKey } from '../context';

/**
 * ScheduleKeyDeletion: the key becomes PendingDeletion, unusable, and is
 * deleted with its material, aliases and tags once PendingWindowInDays
 * (7–30, default 30) have passed, unless CancelKeyDeletion comes first.
 */
export function scheduleKeyDeletion(ctx: KmsContext, request: ScheduleKeyDeletionRequest): ScheduleKeyDeletionResponse {
  const days = request.PendingWindowInDays ?? LIMITS.deletionWindowMaxDays;
  if (days < LIMITS.deletionWindowMinDays || days > LIMITS.deletionWindowMaxDays) {
    throw new KmsError('ValidationException', `PendingWindowInDays must be from ${LIMITS.deletionWindowMinDays} to ${LIMITS.deletionWindowMaxDays} days, not ${days}.`);
  }
  const key = resolveKey(ctx, request.KeyId, 'manage');
  const arn = ctx.vault.store.keyArn(key.keyId);
  authorizeKey(ctx, key, 'kms:ScheduleKeyDeletion');
  const deletionDate = Date.now() + days * DAY_MS;
  ctx.vault.store.keys.update(key.keyId, { keyState: 'PendingDeletion', deletionDate, pendingWindowDays: days });
  ctx.vault.store.clearCache(key.keyId); // unusable from now on: its backing keys leave memory
  return { KeyId: arn, DeletionDate: deletionDate / 1000, KeyState: 'PendingDeletion', PendingWindowInDays: days };
}
