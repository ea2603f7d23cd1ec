import { KmsError } from '../../../src-shared/errors';
import type { CancelKeyDeletionRequest, CancelKeyDeletionResponse } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, resolveKey } from '../context';

/** CancelKeyDeletion: a key that is PendingDeletion keeps its material and becomes Disabled; enable it with EnableKey. */
export function cancelKeyDeletion(ctx: KmsContext, request: CancelKeyDeletionRequest): CancelKeyDeletionResponse {
  const key = resolveKey(ctx, request.KeyId, 'any');
  const arn = ctx.vault.store.keyArn(key.keyId);
  if (key.keyState !== 'PendingDeletion') {
    throw new KmsError('KMSInvalidStateException', `${arn} is ${key.keyState}, not PendingDeletion: there is no deletion to cancel.`);
  }
  authorizeKey(ctx, key, 'kms:CancelKeyDeletion');
  ctx.vault.store.keys.update(key.keyId, { keyState: 'Disabled', deletionDate: null, pendingWindowDays: null });
  return { KeyId: arn };
}
