import type { ListKeysRequest, ListKeysResponse } from '../../../src-shared/kms/shapes.generated';
import { authorizeAccount, type KmsContext } from '../context';
import { isKeyPosition, keyPosition, listPage } from '../engine/paging';

/** ListKeys: the vault's keys in creation order, Limit (1–1000, default 100) at a time. */
export function listKeys(ctx: KmsContext, request: ListKeysRequest): ListKeysResponse {
  authorizeAccount(ctx, 'kms:ListKeys');
  const { store } = ctx.vault;
  const rule = { kind: 'key', max: 1000, defaultLimit: 100, isPosition: isKeyPosition } as const;
  const { items, paging } = listPage(request, rule, (after, count) => store.keys.listAfter(after, count), keyPosition);
  return { Keys: items.map((row) => ({ KeyId: row.keyId, KeyArn: store.keyArn(row.keyId) })), ...paging };
}
