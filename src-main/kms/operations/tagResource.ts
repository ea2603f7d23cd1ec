import type { TagResourceRequest } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, resolveKey } from '../context';
import { checkTagCount, checkTags } from '../engine/tags';

/** TagResource: adds tags to a customer managed key or replaces the values of its existing ones (at most 50 tags per key). */
export function tagResource(ctx: KmsContext, request: TagResourceRequest): Record<string, never> {
  const key = resolveKey(ctx, request.KeyId, 'manage');
  checkTags(request.Tags);
  const { store } = ctx.vault;
  authorizeKey(ctx, key, 'kms:TagResource');
  store.db.transaction(() => {
    const keys = new Set([...store.tags.ofKey(key.keyId), ...request.Tags].map((tag) => tag.TagKey));
    checkTagCount(keys.size);
    store.tags.put(key.keyId, request.Tags);
  })();
  return {};
}
