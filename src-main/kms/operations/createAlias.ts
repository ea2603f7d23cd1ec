import { KmsError } from '../../../src-shared/errors';
import { checkAliasRoom, checkNewAliasName, refuseAliasTarget, refuseManagedAlias } from '../engine/aliases';
import { declare } from '../pipeline/declaration';

/** CreateAlias: a new `alias/<name>` for a customer managed key that is not pending deletion (at most 50 aliases per key). */
export const createAlias = declare({
  name: 'CreateAlias',
  action: 'kms:CreateAlias',
  kind: 'change',
  alias: 'AliasName',
  keys: { key: { from: 'TargetKeyId', naming: 'id', states: 'manage' } },
  check: ({ AliasName, TargetKeyId }) => {
    checkNewAliasName(AliasName);
    refuseManagedAlias(AliasName, 'kms:CreateAlias');
    refuseAliasTarget(TargetKeyId);
  },
  handler: (ctx, { AliasName }, { key }) => {
    const { store } = ctx.vault;
    store.db.transaction(() => {
      if (store.aliases.get(AliasName) !== undefined) {
        throw new KmsError('AlreadyExistsException', `Alias ${store.aliasArn(AliasName)} already exists. Use UpdateAlias to point it at another key.`);
      }
      checkAliasRoom(store, key.keyId);
      const now = Date.now();
      store.aliases.insert({ aliasName: AliasName, keyId: key.keyId, createdAt: now, updatedAt: now });
    })();
    return {};
  },
});
