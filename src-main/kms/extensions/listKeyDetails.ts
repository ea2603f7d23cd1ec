import { keyPage } from '../engine/keyPage';
import { declare } from '../pipeline/declaration';

/** ListKeyDetails: a page of the interface's key list (metadata and aliases of each key), filtered; allowed to whoever may call ListKeys. */
export const listKeyDetails = declare({
  name: 'ListKeyDetails',
  action: 'kms:ListKeys',
  kind: 'read',
  handler: (ctx, { limit, marker, ...filter }) => keyPage(ctx.vault.store, filter, limit, marker),
});
