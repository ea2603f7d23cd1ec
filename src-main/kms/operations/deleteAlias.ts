import type { DeleteAliasRequest } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, noteAlias, resolveKey } from '../context';
import { existingAlias, refuseManagedAlias } from '../engine/aliases';

/** DeleteAlias: removes an alias; its key is not affected and may be in any state. */
export function deleteAlias(ctx: KmsContext, request: DeleteAliasRequest): Record<string, never> {
  refuseManagedAlias(request.AliasName, 'kms:DeleteAlias');
  const { store } = ctx.vault;
  const alias = existingAlias(store, request.AliasName);
  noteAlias(ctx, request.AliasName);
  const key = resolveKey(ctx, alias.keyId, 'any');
  authorizeKey(ctx, key, 'kms:DeleteAlias');
  store.aliases.delete(request.AliasName);
  return {};
}
