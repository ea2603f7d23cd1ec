import type { EnableKeyRotationRequest } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, resolveKey } from '../context';
import { DAY_MS } from '../../../src-shared/limits';
import { requireRotatable } from '../engine/rotation';

const DEFAULT_ROTATION_PERIOD_DAYS = 365;

/**
 * EnableKeyRotation: rotates the key's material automatically every
 * RotationPeriodInDays (90–2560, default 365), the first time that many days
 * from now; calling it again sets a new period. Enabled keys only.
 */
export function enableKeyRotation(ctx: KmsContext, request: EnableKeyRotationRequest): Record<string, never> {
  const key = resolveKey(ctx, request.KeyId, 'crypto');
  requireRotatable(ctx.vault.store, key);
  authorizeKey(ctx, key, 'kms:EnableKeyRotation');
  const days = request.RotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_DAYS;
  ctx.vault.store.keys.update(key.keyId, { rotationPeriodDays: days, nextRotationAt: Date.now() + days * DAY_MS });
  return {};
}
