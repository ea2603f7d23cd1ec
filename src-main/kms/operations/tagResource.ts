import { checkTagCount, checkTags } from '../engine/tags';
import { declare } from '../pipeline/declaration';

/** TagResource: adds tags to a customer managed key or replaces the values of its existing ones (at most 50 tags per key). */
export const tagResource = declare({
  name: 'TagResource',
  action: 'kms:TagResource',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'manage' } },
  check: (request) => {
    checkTags(request.Tags);
  },
  handler: (ctx, request, { key }) => {
    const { store } = ctx.vault;
    store.db.transaction(() => {
      const keys = new Set([...store.tags.ofKey(key.keyId), ...request.Tags].map((tag) => tag.TagKey));
      checkTagCount(keys.size);
      store.tags.put(key.keyId, request.Tags);
    })();
    return {};
  },
});
