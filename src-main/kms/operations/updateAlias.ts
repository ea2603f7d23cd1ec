import { KmsError } from '../../../src-shared/errors';
import { checkAliasRoom, existingAlias, refuseAliasTarget, refuseManagedAlias, requireAliasPrefix } from '../engine/aliases';
import { declare } from '../pipeline/declaration';

/** UpdateAlias: points an existing alias at another key of the same key spec and usage, not pending deletion. */
export const updateAlias = declare({
  name: 'UpdateAlias',
  action: 'kms:UpdateAlias',
  kind: 'change',
  alias: 'AliasName',
  keys: {
    current: { from: (request, store) => existingAlias(store, request.AliasName).keyId, naming: 'id', states: 'any' },
    target: { from: 'TargetKeyId', naming: 'id', states: 'manage' },
  },
  keyInResponse: true,
  check: ({ AliasName, TargetKeyId }) => {
    refuseManagedAlias(AliasName, 'kms:UpdateAlias');
    requireAliasPrefix(AliasName);
    refuseAliasTarget(TargetKeyId);
  },
  handler: (ctx, { AliasName }, { current, target }) => {
    if (current.keySpec !== target.keySpec || current.keyUsage !== target.keyUsage) {
      throw new KmsError('ValidationException', `${AliasName} points at a ${current.keySpec} key for ${current.keyUsage}; its new key must be the same kind, not ${target.keySpec} for ${target.keyUsage}. Delete the alias and create it again to change that.`);
    }
    const { store } = ctx.vault;
    if (target.keyId !== current.keyId) checkAliasRoom(store, target.keyId);
    store.aliases.retarget(AliasName, target.keyId, Date.now());
    return {};
  },
});
