import type { UpdateKeyDescriptionRequest } from '../../../src-shared/kms/shapes.generated';
import { authorize } from '../../policy/authorize';
import { resolveKey, type KmsContext } from '../context';

/** UpdateKeyDescription: replaces the key's description (up to 8192 characters; empty clears it). */
export function updateKeyDescription(ctx: KmsContext, request: UpdateKeyDescriptionRequest): Record<string, never> {
  const key = resolveKey(ctx, request.KeyId, 'manage');
  ctx.vault.use(({ principal }) => {
    authorize({ principal, action: 'kms:UpdateKeyDescription', resource: ctx.vault.store.keyArn(key.keyId), keyManager: key.keyManager });
  });
  ctx.vault.store.keys.update(key.keyId, { description: request.Description });
  return {};
}
