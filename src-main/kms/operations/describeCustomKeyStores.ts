import { KmsError } from '../../../src-shared/errors';
import { storeById, storeEntry } from '../engine/customKeyStores';
import { isName, listPage } from '../engine/paging';
import { declare } from '../pipeline/declaration';

/** DescribeCustomKeyStores: one store by id or name, or all of them, Limit (1–1000, default 100) at a time, with each one's connection state. */
export const describeCustomKeyStores = declare({
  name: 'DescribeCustomKeyStores',
  action: 'kms:DescribeCustomKeyStores',
  kind: 'read',
  check: (request) => {
    if (request.CustomKeyStoreId !== undefined && request.CustomKeyStoreName !== undefined) throw new KmsError('ValidationException', 'Give CustomKeyStoreId or CustomKeyStoreName, not both.');
  },
  handler: (ctx, request) => {
    const { vault } = ctx;
    if (request.CustomKeyStoreId !== undefined) return { CustomKeyStores: [storeEntry(vault, storeById(vault, request.CustomKeyStoreId))], Truncated: false };
    const all = vault.store.customKeyStores.list().sort((a, b) => a.id.localeCompare(b.id));
    if (request.CustomKeyStoreName !== undefined) {
      const named = all.find((row) => row.name === request.CustomKeyStoreName);
      if (named === undefined) throw new KmsError('CustomKeyStoreNotFoundException', `There is no custom key store named "${request.CustomKeyStoreName}" in this vault.`);
      return { CustomKeyStores: [storeEntry(vault, named)], Truncated: false };
    }
    const rule = { kind: 'customKeyStore', max: 1000, defaultLimit: 100, isPosition: isName } as const;
    const { items, paging } = listPage(request, rule, (after, count) => all.filter((row) => after === undefined || row.id > after).slice(0, count), (row) => row.id);
    return { CustomKeyStores: items.map((row) => storeEntry(vault, row)), ...paging };
  },
});
