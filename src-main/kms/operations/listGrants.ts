import { KmsError } from '../../../src-shared/errors';
import { grantEntry } from '../engine/grants';
import { isKeyPosition, listPage } from '../engine/paging';
import { declare } from '../pipeline/declaration';

/** ListGrants: a key's grants, oldest first, Limit (1–100, default 50) at a time; or the one GrantId names, or those of one GranteePrincipal. */
export const listGrants = declare({
  name: 'ListGrants',
  action: 'kms:ListGrants',
  kind: 'read',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'any' } },
  check: (request) => {
    if (request.GrantId !== undefined && !/^[0-9a-f]{64}$/.test(request.GrantId)) throw new KmsError('InvalidGrantIdException', `"${request.GrantId}" is not a grant id (64 hexadecimal digits).`);
  },
  handler: (ctx, request, { key }) => {
    const { store } = ctx.vault;
    const rule = { kind: 'grant', max: 100, defaultLimit: 50, isPosition: isKeyPosition } as const;
    const wanted = (row: { grantId: string; grantee: string }): boolean => (request.GrantId === undefined || row.grantId === request.GrantId) && (request.GranteePrincipal === undefined || row.grantee === request.GranteePrincipal);
    const fetch = (after: [number, string] | undefined, count: number) =>
      store.grants.pageOf(key.keyId, after === undefined ? undefined : { createdAt: after[0], grantId: after[1] }, request.GrantId === undefined && request.GranteePrincipal === undefined ? count : Number.MAX_SAFE_INTEGER).filter(wanted).slice(0, count);
    const { items, paging } = listPage(request, rule, fetch, (row): [number, string] => [row.createdAt, row.grantId]);
    return { Grants: items.map((row) => grantEntry(store, row)), ...paging };
  },
});
