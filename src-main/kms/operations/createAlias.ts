import { KmsError } from '../../../src-shared/errors';
import type { CreateAliasRequest } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, noteAlias, resolveKey } from '../context';
import { checkAliasRoom, checkNewAliasName, refuseAliasTarget, refuseManagedAlias } from '../engine/aliases';

/** CreateAlias: a new `alias/<name>` for a customer managed key that is not pending deletion (at most 50 aliases per key). */
export function createAlias(ctx: KmsContext, request: CreateAliasRequest): Record<string, never> {
  const { AliasName, TargetKeyId } = request;
  checkNewAliasName(AliasName);
  refuseManagedAlias(AliasName, 'kms:CreateAlias');
  refuseAliasTarget(TargetKeyId);
  noteAlias(ctx, AliasName);
  const key = resolveKey(ctx, TargetKeyId, 'manage');
  const { store } = ctx.vault;
  authorizeKey(ctx, key, 'kms:CreateAlias');
  store.db.transaction(() => {
    if (store.aliases.get(AliasName) !== undefined) {
      throw new KmsError('AlreadyExistsException', `Alias ${store.aliasArn(AliasName)} already exists. Use UpdateAlias to point it at another key.`);
    }
    checkAliasRoom(store, key.keyId);
    const now = Date.now();
    store.aliases.insert({ aliasName: AliasName, keyId: key.keyId, createdAt: now, updatedAt: now });
  })();
  return {};
}
