import { KmsError } from '../../../src-shared/errors';
import { declare } from '../pipeline/declaration';

/** CancelKeyDeletion: a key that is PendingDeletion keeps its material and becomes Disabled; enable it with EnableKey. */
export const cancelKeyDeletion = declare({
  name: 'CancelKeyDeletion',
  action: 'kms:CancelKeyDeletion',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'any' } },
  handler: (ctx, _request, { key }) => {
    const arn = ctx.vault.store.keyArn(key.keyId);
    if (key.keyState !== 'PendingDeletion') {
      throw new KmsError('KMSInvalidStateException', `${arn} is ${key.keyState}, not PendingDeletion: there is no deletion to cancel.`);
    }
    ctx.vault.store.keys.update(key.keyId, { keyState: 'Disabled', deletionDate: null, pendingWindowDays: null });
    return { KeyId: arn };
  },
});
