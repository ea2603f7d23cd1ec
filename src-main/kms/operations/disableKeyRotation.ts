import { refuseOnReplica } from '../engine/multiRegion';
import { declare } from '../pipeline/declaration';

/** DisableKeyRotation: stops automatic rotation; the material already rotated stays, and RotateKeyOnDemand still works. Enabled keys only. */
export const disableKeyRotation = declare({
  name: 'DisableKeyRotation',
  action: 'kms:DisableKeyRotation',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'crypto', rotates: true } },
  handler: (ctx, _request, { key }) => {
    refuseOnReplica(ctx.vault.store, key, 'automatic rotation');
    ctx.vault.store.keys.update(key.keyId, { rotationPeriodDays: null, nextRotationAt: null });
    return {};
  },
});
