import { KmsError } from '../../../src-shared/errors';
import { wrapStorePin } from '../../crypto/backingKeys';
import { closeFound, openToken, storeById } from '../engine/customKeyStores';
import { declare } from '../pipeline/declaration';

/**
 * UpdateCustomKeyStore: a new name (at any time), or a new token PIN (the
 * store disconnected; checked by logging in). CloudHsmClusterId may only
 * name the store's own token: its keys live there.
 */
export const updateCustomKeyStore = declare({
  name: 'UpdateCustomKeyStore',
  action: 'kms:UpdateCustomKeyStore',
  kind: 'change',
  hiddenMembers: ['KeyStorePassword'],
  check: (request) => {
    if (request.XksProxyUriEndpoint !== undefined || request.XksProxyUriPath !== undefined || request.XksProxyAuthenticationCredential !== undefined) {
      throw new KmsError('ValidationException', 'External key stores are not supported on this desktop.');
    }
  },
  handler: (ctx, request) => {
    const stores = ctx.vault.store.customKeyStores;
    const row = storeById(ctx.vault, request.CustomKeyStoreId);
    if (request.CloudHsmClusterId !== undefined && request.CloudHsmClusterId !== row.clusterId) {
      throw new KmsError('CloudHsmClusterNotRelatedException', `${request.CloudHsmClusterId} is not this store's token (${row.clusterId}): a store's keys live on its own token.`);
    }
    const name = request.NewCustomKeyStoreName;
    if (name !== undefined && name !== row.name && stores.list().some((other) => other.name === name)) {
      throw new KmsError('CustomKeyStoreNameInUseException', `There is already a custom key store named "${name}".`);
    }
    let wrappedPin = row.wrappedPin;
    if (request.KeyStorePassword !== undefined) {
      if (row.connected === 1) throw new KmsError('CustomKeyStoreInvalidStateException', `Disconnect custom key store ${row.id} before changing its KeyStorePassword.`);
      const found = openToken(ctx.unlocked, row.tokenUri, () => request.KeyStorePassword);
      closeFound(found);
      if (!found.own) {
        const pin = Buffer.from(request.KeyStorePassword, 'utf8');
        wrappedPin = wrapStorePin(ctx.unlocked.rootKey.value, row.id, pin);
        pin.fill(0);
      }
    }
    stores.update({ ...row, name: name ?? row.name, wrappedPin });
    return {};
  },
});
