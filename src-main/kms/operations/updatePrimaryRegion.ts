import { KmsError } from '../../../src-shared/errors';
import { multiRegionOf, storedMultiRegion, type MultiRegion } from '../engine/multiRegion';
import { declare } from '../pipeline/declaration';

/**
 * UpdatePrimaryRegion: which vault's copy of a multi-Region key is the
 * primary. Vaults have no network between them, so each side is told: on
 * the primary, naming a replica's Region makes it a replica of that one; on
 * that replica, naming its own Region makes it the primary, with the old
 * primary among its replicas. The key's material and id do not change.
 */
export const updatePrimaryRegion = declare({
  name: 'UpdatePrimaryRegion',
  action: 'kms:UpdatePrimaryRegion',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'toggle' } },
  keyInResponse: true,
  handler: (ctx, request, { key }) => {
    const { store } = ctx.vault;
    const arn = store.keyArn(key.keyId);
    const config = multiRegionOf(key);
    if (config === undefined) throw new KmsError('UnsupportedOperationException', `${arn} is not a multi-Region key.`);
    const region = request.PrimaryRegion;
    const self = { Arn: arn, Region: store.region };
    let next: MultiRegion;
    if (config.MultiRegionKeyType === 'PRIMARY') {
      const target = config.ReplicaKeys.find((replica) => replica.Region === region);
      if (region === store.region) return {}; // already the primary
      if (target === undefined) throw new KmsError('ValidationException', `${arn} has no replica in ${region}: replicate it there first (ReplicateKey).`);
      next = { MultiRegionKeyType: 'REPLICA', PrimaryKey: target, ReplicaKeys: [...config.ReplicaKeys.filter((replica) => replica.Region !== region), self] };
    } else {
      if (region === config.PrimaryKey.Region) return {}; // already so
      if (region !== store.region) throw new KmsError('ValidationException', `Name this vault's own Region (${store.region}) to make its replica the primary, or ${config.PrimaryKey.Region}, the primary's; ${region} is neither.`);
      next = { MultiRegionKeyType: 'PRIMARY', PrimaryKey: self, ReplicaKeys: [...config.ReplicaKeys.filter((replica) => replica.Region !== store.region), config.PrimaryKey] };
    }
    store.keys.update(key.keyId, { multiRegion: storedMultiRegion(next) });
    return {};
  },
});
