import { isName, listPage } from '../engine/paging';
import { declare } from '../pipeline/declaration';

/** ListResourceTags: a key's tags by tag key, Limit (1–50, default 50) at a time; works in every key state. */
export const listResourceTags = declare({
  name: 'ListResourceTags',
  action: 'kms:ListResourceTags',
  kind: 'read',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'any' } },
  handler: (ctx, request, { key }) => {
    const tags = ctx.vault.store.tags.ofKey(key.keyId).sort((a, b) => (a.TagKey < b.TagKey ? -1 : 1)); // the order `>` pages by
    const rule = { kind: 'tag', max: 50, defaultLimit: 50, isPosition: isName } as const;
    const { items, paging } = listPage(request, rule, (after, count) => tags.filter((tag) => after === undefined || tag.TagKey > after).slice(0, count), (tag) => tag.TagKey);
    return { Tags: items, ...paging };
  },
});
