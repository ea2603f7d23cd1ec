import { DAY_MS } from '../../../src-shared/limits';
import { refuseOnReplica } from '../engine/multiRegion';
import { declare } from '../pipeline/declaration';

const DEFAULT_ROTATION_PERIOD_DAYS = 365;

/**
 * EnableKeyRotation: rotates the key's material automatically every
 * RotationPeriodInDays (90–2560, default 365), the first time that many days
 * from now; calling it again sets a new period. Enabled keys only.
 */
export const enableKeyRotation = declare({
  name: 'EnableKeyRotation',
  action: 'kms:EnableKeyRotation',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'crypto', rotates: true } },
  keyInResponse: true,
  handler: (ctx, request, { key }) => {
    refuseOnReplica(ctx.vault.store, key, 'automatic rotation');
    const days = request.RotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_DAYS;
    ctx.vault.store.keys.update(key.keyId, { rotationPeriodDays: days, nextRotationAt: Date.now() + days * DAY_MS });
    return {};
  },
});
