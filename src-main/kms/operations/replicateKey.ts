import { KmsError } from '../../../src-shared/errors';
import { keyMetadata } from '../engine/metadata';
import { multiRegionOf } from '../engine/multiRegion';
import { replicaBundle } from '../engine/replicas';
import { checkTags } from '../engine/tags';
import { declare } from '../pipeline/declaration';

/**
 * ReplicateKey: a replica of a multi-Region primary key for the vault of
 * ReplicaRegion, which sent its replication request (ReplicationRequest, a
 * Strongroom extension: there is no network between vaults). The response
 * has the replica's metadata, policy and tags as AWS's does, and the bundle
 * to carry to that vault (ReplicaBundle), which the audit record leaves out.
 */
export const replicateKey = declare({
  name: 'ReplicateKey',
  action: 'kms:ReplicateKey',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'toggle' } },
  hiddenMembers: ['ReplicationRequest'],
  recordedResponse: ({ ReplicaKeyMetadata }) => ({ ReplicaKeyMetadata }),
  check: (request) => {
    if (request.ReplicationRequest === undefined) throw new KmsError('ValidationException', 'Give ReplicationRequest: the request file the replica’s vault wrote (strongroom replica request).');
    checkTags(request.Tags ?? []);
  },
  handler: (ctx, request, { key }) => {
    const { store } = ctx.vault;
    const tags = request.Tags ?? store.tags.ofKey(key.keyId);
    const description = request.Description ?? key.description;
    const { bundle, replicaArn, replicaAccount } = replicaBundle(ctx, key, { region: request.ReplicaRegion, requestText: request.ReplicationRequest ?? '', description, policy: request.Policy ?? '', tags });
    const primary = store.keys.get(key.keyId) ?? key;
    const metadata = keyMetadata(store, primary);
    const config = multiRegionOf(primary);
    return {
      ReplicaKeyMetadata: { ...metadata, AWSAccountId: replicaAccount, Arn: replicaArn, Description: description, ...(config === undefined ? {} : { MultiRegionConfiguration: { ...config, MultiRegionKeyType: 'REPLICA' as const } }) },
      ...(request.Policy === undefined ? {} : { ReplicaPolicy: request.Policy }),
      ReplicaTags: [...tags],
      ReplicaBundle: bundle,
    };
  },
});
