import { existingAlias, refuseManagedAlias, requireAliasPrefix } from '../engine/aliases';
import { declare } from '../pipeline/declaration';

/** DeleteAlias: removes an alias; its key is not affected and may be in any state. */
export const deleteAlias = declare({
  name: 'DeleteAlias',
  action: 'kms:DeleteAlias',
  kind: 'change',
  alias: 'AliasName',
  keys: { key: { from: (request, store) => existingAlias(store, request.AliasName).keyId, naming: 'id', states: 'any' } },
  check: ({ AliasName }) => {
    refuseManagedAlias(AliasName, 'kms:DeleteAlias');
    requireAliasPrefix(AliasName);
  },
  handler: (ctx, request) => {
    ctx.vault.store.aliases.delete(request.AliasName);
    return {};
  },
});
