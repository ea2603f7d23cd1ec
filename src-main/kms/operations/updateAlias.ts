import { KmsError } from '../../../src-shared/errors';
import type { UpdateAliasRequest } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, noteAlias, resolveKey } from '../context';
import { checkAliasRoom, existingAlias, refuseAliasTarget, refuseManagedAlias } from '../engine/aliases';

/** UpdateAlias: points an existing alias at another key of the same key spec and usage, not pending deletion. */
export function updateAlias(ctx: KmsContext, request: UpdateAliasRequest): Record<string, never> {
  const { AliasName, TargetKeyId } = request;
  refuseManagedAlias(AliasName, 'kms:UpdateAlias');
  refuseAliasTarget(TargetKeyId);
  const { store } = ctx.vault;
  const alias = existingAlias(store, AliasName);
  noteAlias(ctx, AliasName);
  const current = resolveKey(ctx, alias.keyId, 'any');
  const target = resolveKey(ctx, TargetKeyId, 'manage');
  if (current.keySpec !== target.keySpec || current.keyUsage !== target.keyUsage) {
    throw new KmsError('ValidationException', `${AliasName} points at a ${current.keySpec} key for ${current.keyUsage}; its new key must be the same kind, not ${target.keySpec} for ${target.keyUsage}. Delete the alias and create it again to change that.`);
  }
  for (const key of [current, target]) authorizeKey(ctx, key, 'kms:UpdateAlias');
  if (target.keyId !== current.keyId) checkAliasRoom(store, target.keyId);
  store.aliases.retarget(AliasName, target.keyId, Date.now());
  return {};
}
