import { keyMetadata } from '../engine/metadata';
import { importReplica } from '../engine/replicas';
import { declare } from '../pipeline/declaration';
import { noteResource } from '../pipeline/steps';

/** ImportReplicaKey: a replica bundle, made by a primary key's vault for one of this vault's requests, opened as a replica key here (strongroom replica import). */
export const importReplicaKey = declare({
  name: 'ImportReplicaKey',
  action: 'kms:CreateKey',
  kind: 'change',
  hiddenMembers: ['ReplicaBundle'],
  handler: (ctx, request) => {
    const row = importReplica(ctx, request.ReplicaBundle, Date.now());
    noteResource(ctx, ctx.vault.store.keyArn(row.keyId));
    return { ReplicaKeyMetadata: keyMetadata(ctx.vault.store, row) };
  },
});
