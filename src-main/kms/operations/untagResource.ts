import type { UntagResourceRequest } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, resolveKey } from '../context';
import { refuseReservedTagKey } from '../engine/tags';

/** UntagResource: removes the named tags from a customer managed key; tag keys it does not have are ignored, reserved `aws:` ones refused. */
export function untagResource(ctx: KmsContext, request: UntagResourceRequest): Record<string, never> {
  const key = resolveKey(ctx, request.KeyId, 'manage');
  const { store } = ctx.vault;
  authorizeKey(ctx, key, 'kms:UntagResource');
  request.TagKeys.forEach(refuseReservedTagKey);
  store.db.transaction(() => {
    store.tags.remove(key.keyId, request.TagKeys);
  })();
  return {};
}
