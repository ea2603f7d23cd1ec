import { KmsError } from '../../../src-shared/errors';
import { DAY_MS, LIMITS } from '../../../src-shared/limits';
import { declare } from '../pipeline/declaration';

/**
 * ScheduleKeyDeletion: the key becomes PendingDeletion, unusable, and is
 * deleted with its material, aliases and tags once PendingWindowInDays
 * (7–30, default 30) have passed, unless CancelKeyDeletion comes first.
 */
export const scheduleKeyDeletion = declare({
  name: 'ScheduleKeyDeletion',
  action: 'kms:ScheduleKeyDeletion',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'manage' } },
  check: ({ PendingWindowInDays: days = LIMITS.deletionWindowMaxDays }) => {
    if (days < LIMITS.deletionWindowMinDays || days > LIMITS.deletionWindowMaxDays) {
      throw new KmsError('ValidationException', `PendingWindowInDays must be from ${LIMITS.deletionWindowMinDays} to ${LIMITS.deletionWindowMaxDays} days, not ${days}.`);
    }
  },
  handler: (ctx, request, { key }) => {
    const days = request.PendingWindowInDays ?? LIMITS.deletionWindowMaxDays;
    const deletionDate = Date.now() + days * DAY_MS;
    ctx.vault.store.keys.update(key.keyId, { keyState: 'PendingDeletion', deletionDate, pendingWindowDays: days });
    ctx.vault.store.clearCache(key.keyId); // unusable from now on: its backing keys leave memory
    return { KeyId: ctx.vault.store.keyArn(key.keyId), DeletionDate: deletionDate / 1000, KeyState: 'PendingDeletion', PendingWindowInDays: days };
  },
});
