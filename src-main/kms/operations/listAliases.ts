import { aliasEntry } from '../engine/aliases';
import { isName, listPage } from '../engine/paging';
import { declare } from '../pipeline/declaration';

/** ListAliases: the vault's aliases (or one key's) by name, Limit (1–100, default 50) at a time. */
export const listAliases = declare({
  name: 'ListAliases',
  action: 'kms:ListAliases',
  kind: 'read',
  optionalKeys: { key: { from: 'KeyId', naming: 'id', states: 'any' } },
  handler: (ctx, request, { key }) => {
    const { store } = ctx.vault;
    const rule = { kind: 'alias', max: 100, defaultLimit: 50, isPosition: isName } as const;
    const { items, paging } = listPage(request, rule, (after, count) => store.aliases.listAfter(after, count, key?.keyId), (row) => row.aliasName);
    return { Aliases: items.map((row) => aliasEntry(store, row)), ...paging };
  },
});
