import type { ListResourceTagsRequest, ListResourceTagsResponse } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, resolveKey } from '../context';
import { isName, listPage } from '../engine/paging';

/** ListResourceTags: a key's tags by tag key, Limit (1–50, default 50) at a time; works in every key state. */
export function listResourceTags(ctx: KmsContext, request: ListResourceTagsRequest): ListResourceTagsResponse {
  const key = resolveKey(ctx, request.KeyId, 'any');
  const { store } = ctx.vault;
  authorizeKey(ctx, key, 'kms:ListResourceTags');
  const tags = store.tags.ofKey(key.keyId).sort((a, b) => (a.TagKey < b.TagKey ? -1 : 1)); // the order `>` pages by
  const rule = { kind: 'tag', max: 50, defaultLimit: 50, isPosition: isName } as const;
  const { items, paging } = listPage(request, rule, (after, count) => tags.filter((tag) => after === undefined || tag.TagKey > after).slice(0, count), (tag) => tag.TagKey);
  return { Tags: items, ...paging };
}
