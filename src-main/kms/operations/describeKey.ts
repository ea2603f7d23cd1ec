import { keyMetadata } from '../engine/metadata';
import { declare } from '../pipeline/declaration';

/** DescribeKey: the metadata of a key named by id, key ARN, alias name or alias ARN. */
export const describeKey = declare({
  name: 'DescribeKey',
  action: 'kms:DescribeKey',
  kind: 'read',
  keys: { key: { from: 'KeyId', naming: 'id-or-alias', states: 'any' } },
  ignoresGrantTokens: true,
  handler: (ctx, _request, { key }) => ({ KeyMetadata: keyMetadata(ctx.vault.store, key) }),
});
