import { newReplicationRequest } from '../engine/replicas';
import { declare } from '../pipeline/declaration';

/** CreateReplicationRequest: a request (JSON) for a primary key's vault to make this vault a replica with (strongroom replica request). */
export const createReplicationRequest = declare({
  name: 'CreateReplicationRequest',
  action: 'kms:CreateKey',
  kind: 'change',
  handler: (ctx) => ({ ReplicationRequest: JSON.stringify(newReplicationRequest(ctx, Date.now())) }),
});
