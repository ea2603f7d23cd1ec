import type { DescribeKeyRequest, DescribeKeyResponse } from '../../../src-shared/kms/shapes.generated';
import { authorize } from '../../policy/authorize';
import { resolveKey, type KmsContext } from '../context';
import { keyMetadata } from '../engine/metadata';

/** DescribeKey: the metadata of a key named by id, key ARN, alias name or alias ARN. */
export function describeKey(ctx: KmsContext, request: DescribeKeyRequest): DescribeKeyResponse {
  const key = resolveKey(ctx, request.KeyId, 'any');
  ctx.vault.use(({ principal }) => {
    authorize({ principal, action: 'kms:DescribeKey', resource: ctx.vault.store.keyArn(key.keyId) });
  });
  return { KeyMetadata: keyMetadata(ctx.vault.store, key) };
}
