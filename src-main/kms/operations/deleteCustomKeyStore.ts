import { KmsError } from '../../../src-shared/errors';
import { storeById } from '../engine/customKeyStores';
import { declare } from '../pipeline/declaration';

/** DeleteCustomKeyStore: forgets a disconnected store that holds no KMS keys (the token itself is left as it is). */
export const deleteCustomKeyStore = declare({
  name: 'DeleteCustomKeyStore',
  action: 'kms:DeleteCustomKeyStore',
  kind: 'change',
  handler: (ctx, request) => {
    const stores = ctx.vault.store.customKeyStores;
    const row = storeById(ctx.vault, request.CustomKeyStoreId);
    const keys = stores.keyCount(row.id);
    if (keys > 0) throw new KmsError('CustomKeyStoreHasCMKsException', `Custom key store ${row.id} holds ${String(keys)} KMS key${keys === 1 ? '' : 's'}: schedule their deletion and wait for it first.`);
    if (row.connected === 1) throw new KmsError('CustomKeyStoreInvalidStateException', `Disconnect custom key store ${row.id} before deleting it.`);
    stores.delete(row.id);
    return {};
  },
});
