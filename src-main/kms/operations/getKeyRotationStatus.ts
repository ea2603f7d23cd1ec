import { declare } from '../pipeline/declaration';

/**
 * GetKeyRotationStatus: whether automatic rotation is on, with its period
 * and next date, for the key named by its ARN (as AWS answers). A key
 * pending deletion reports false (rotation resumes if the deletion is
 * cancelled); a disabled key keeps its status.
 */
export const getKeyRotationStatus = declare({
  name: 'GetKeyRotationStatus',
  action: 'kms:GetKeyRotationStatus',
  kind: 'read',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'any', rotates: true } },
  handler: (ctx, _request, { key }) => {
    const { rotationPeriodDays, nextRotationAt } = key;
    const arn = ctx.vault.store.keyArn(key.keyId);
    if (rotationPeriodDays === null || nextRotationAt === null || key.keyState === 'PendingDeletion') {
      return { KeyRotationEnabled: false, KeyId: arn };
    }
    return { KeyRotationEnabled: true, KeyId: arn, RotationPeriodInDays: rotationPeriodDays, NextRotationDate: nextRotationAt / 1000 };
  },
});
