import { declare } from '../pipeline/declaration';

/** UpdateKeyDescription: replaces the key's description (up to 8192 characters; empty clears it). */
export const updateKeyDescription = declare({
  name: 'UpdateKeyDescription',
  action: 'kms:UpdateKeyDescription',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'manage' } },
  handler: (ctx, request, { key }) => {
    ctx.vault.store.keys.update(key.keyId, { description: request.Description });
    return {};
  },
});
