import { disconnectStore, storeById } from '../engine/customKeyStores';
import { declare } from '../pipeline/declaration';

/** DisconnectCustomKeyStore: closes the store's session; its keys cannot be used until it is connected again. */
export const disconnectCustomKeyStore = declare({
  name: 'DisconnectCustomKeyStore',
  action: 'kms:DisconnectCustomKeyStore',
  kind: 'change',
  handler: (ctx, request) => {
    const row = storeById(ctx.vault, request.CustomKeyStoreId);
    ctx.vault.store.customKeyStores.update({ ...row, connected: 0 });
    disconnectStore(ctx.vault, row.id);
    return {};
  },
});
