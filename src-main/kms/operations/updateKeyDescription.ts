import type { UpdateKeyDescriptionRequest } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, resolveKey } from '../context';

/** UpdateKeyDescription: replaces the key's description (up to 8192 characters; empty clears it). */
export function updateKeyDescription(ctx: KmsContext, request: UpdateKeyDescriptionRequest): Record<string, never> {
  const key = resolveKey(ctx, request.KeyId, 'manage');
  authorizeKey(ctx, key, 'kms:UpdateKeyDescription');
  ctx.vault.store.keys.update(key.keyId, { description: request.Description });
  return {};
}
