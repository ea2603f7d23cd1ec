import { grantEntry } from '../engine/grants';
import { isKeyPosition, listPage } from '../engine/paging';
import { declare } from '../pipeline/declaration';

/** ListRetirableGrants: the grants, on any key of the vault, whose retiring principal is the one given, oldest first. */
export const listRetirableGrants = declare({
  name: 'ListRetirableGrants',
  action: 'kms:ListRetirableGrants',
  kind: 'read',
  handler: (ctx, request) => {
    const { store } = ctx.vault;
    const rule = { kind: 'retirableGrant', max: 100, defaultLimit: 50, isPosition: isKeyPosition } as const;
    const fetch = (after: [number, string] | undefined, count: number) => store.grants.retirableBy(request.RetiringPrincipal, after === undefined ? undefined : { createdAt: after[0], grantId: after[1] }, count);
    const { items, paging } = listPage(request, rule, fetch, (row): [number, string] => [row.createdAt, row.grantId]);
    return { Grants: items.map((row) => grantEntry(store, row)), ...paging };
  },
});
