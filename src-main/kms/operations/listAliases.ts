import type { ListAliasesRequest, ListAliasesResponse } from '../../../src-shared/kms/shapes.generated';
import { authorizeAccount, authorizeKey, type KmsContext, resolveKey } from '../context';
import { aliasEntry } from '../engine/aliases';
import { isName, listPage } from '../engine/paging';

/** ListAliases: the vault's aliases (or one key's) by name, Limit (1–100, default 50) at a time. */
export function listAliases(ctx: KmsContext, request: ListAliasesRequest): ListAliasesResponse {
  const { store } = ctx.vault;
  const key = request.KeyId === undefined ? undefined : resolveKey(ctx, request.KeyId, 'any');
  if (key === undefined) authorizeAccount(ctx, 'kms:ListAliases');
  else authorizeKey(ctx, key, 'kms:ListAliases');
  const rule = { kind: 'alias', max: 100, defaultLimit: 50, isPosition: isName } as const;
  const { items, paging } = listPage(request, rule, (after, count) => store.aliases.listAfter(after, count, key?.keyId), (row) => row.aliasName);
  return { Aliases: items.map((row) => aliasEntry(store, row)), ...paging };
}
