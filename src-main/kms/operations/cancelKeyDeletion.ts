import { declare } from '../pipeline/declaration';

/** CancelKeyDeletion: a key that is PendingDeletion keeps its material and becomes Disabled; enable it with EnableKey. */
export const cancelKeyDeletion = declare({
  name: 'CancelKeyDeletion',
  action: 'kms:CancelKeyDeletion',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'pendingDeletion' } },
  handler: (ctx, _request, { key }) => {
    ctx.vault.store.keys.update(key.keyId, { keyState: 'Disabled', deletionDate: null, pendingWindowDays: null });
    return { KeyId: ctx.vault.store.keyArn(key.keyId) };
  },
});
