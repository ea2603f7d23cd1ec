import { KmsError } from '../../../src-shared/errors';
import { connectStore, storeById, storeEntry } from '../engine/customKeyStores';
import { declare } from '../pipeline/declaration';

/**
 * ConnectCustomKeyStore: opens the store's token and logs in. As at AWS the
 * call succeeds even when the connection fails: DescribeCustomKeyStores
 * then says FAILED and why (ConnectionErrorCode); disconnect before trying
 * again. The store stays connected across locks (its session is opened
 * again on first use after an unlock).
 */
export const connectCustomKeyStore = declare({
  name: 'ConnectCustomKeyStore',
  action: 'kms:ConnectCustomKeyStore',
  kind: 'change',
  handler: (ctx, request) => {
    const { vault } = ctx;
    const row = storeById(vault, request.CustomKeyStoreId);
    if (storeEntry(vault, row).ConnectionState === 'FAILED') {
      throw new KmsError('CustomKeyStoreInvalidStateException', `Custom key store ${row.id} failed to connect: DisconnectCustomKeyStore, fix the cause, then connect again.`);
    }
    const connected = { ...row, connected: 1 as const };
    vault.store.customKeyStores.update(connected);
    try {
      connectStore(vault, ctx.unlocked, connected);
    } catch {
      // Recorded as the store's ConnectionErrorCode, which DescribeCustomKeyStores shows.
    }
    return {};
  },
});
