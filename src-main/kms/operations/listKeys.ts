import { isKeyPosition, keyPosition, listPage } from '../engine/paging';
import { declare } from '../pipeline/declaration';

/** ListKeys: the vault's keys in creation order, Limit (1–1000, default 100) at a time. */
export const listKeys = declare({
  name: 'ListKeys',
  action: 'kms:ListKeys',
  kind: 'read',
  handler: (ctx, request) => {
    const { store } = ctx.vault;
    const rule = { kind: 'key', max: 1000, defaultLimit: 100, isPosition: isKeyPosition } as const;
    const { items, paging } = listPage(request, rule, (after, count) => store.keys.listAfter(after, count), keyPosition);
    return { Keys: items.map((row) => ({ KeyId: row.keyId, KeyArn: store.keyArn(row.keyId) })), ...paging };
  },
});
