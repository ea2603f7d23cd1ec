import { KmsError } from '../../../src-shared/errors';
import { rotateKeyMaterial } from '../engine/rotation';
import { refuseOnReplica } from '../engine/multiRegion';
import { declare } from '../pipeline/declaration';

const MAX_ON_DEMAND_ROTATIONS = 25;
/** How close to an automatic rotation AWS refuses an on-demand one. */
const AUTOMATIC_ROTATION_MARGIN_MS = 20 * 60 * 1000;

/**
 * RotateKeyOnDemand: new key material now, at most 25 times per key, without
 * changing the automatic rotation schedule. Enabled keys only, and not within
 * 20 minutes of an automatic rotation or while a due one has yet to be made
 * (ConflictException, as AWS). The response names the key by its ARN, as
 * AWS's does.
 */
export const rotateKeyOnDemand = declare({
  name: 'RotateKeyOnDemand',
  action: 'kms:RotateKeyOnDemand',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'crypto', rotates: true } },
  handler: (ctx, _request, { key }) => {
    refuseOnReplica(ctx.vault.store, key, 'rotation');
    const arn = ctx.vault.store.keyArn(key.keyId);
    if (key.onDemandRotations >= MAX_ON_DEMAND_ROTATIONS) {
      throw new KmsError('LimitExceededException', `${arn} has already been rotated on demand ${MAX_ON_DEMAND_ROTATIONS} times, the most a key allows. Use automatic rotation (EnableKeyRotation) or a new key.`);
    }
    const due = key.nextRotationAt;
    const now = Date.now();
    if (due !== null && due - now < AUTOMATIC_ROTATION_MARGIN_MS) {
      const when = new Date(due).toISOString();
      const why = due <= now ? `was due at ${when} and is under way: Strongroom makes due rotations once a minute while the vault is unlocked` : `is due at ${when}, within 20 minutes`;
      throw new KmsError('ConflictException', `An automatic rotation of ${arn} ${why}. Try again after it.`);
    }
    rotateKeyMaterial(ctx.vault, key, 'ON_DEMAND', { onDemandRotations: key.onDemandRotations + 1 });
    return { KeyId: arn };
  },
});
