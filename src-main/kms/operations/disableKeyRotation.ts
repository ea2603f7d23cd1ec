import type { DisableKeyRotationRequest } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, resolveKey } from '../context';
import { requireRotatable } from '../engine/rotation';

/** DisableKeyRotation: stops automatic rotation; the material already rotated stays, and RotateKeyOnDemand still works. Enabled keys only. */
export function disableKeyRotation(ctx: KmsContext, request: DisableKeyRotationRequest): Record<string, never> {
  const key = resolveKey(ctx, request.KeyId, 'crypto');
  requireRotatable(ctx.vault.store, key);
  authorizeKey(ctx, key, 'kms:DisableKeyRotation');
  ctx.vault.store.keys.update(key.keyId, { rotationPeriodDays: null, nextRotationAt: null });
  return {};
}
