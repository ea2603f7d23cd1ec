import type { DescribeKeyRequest, DescribeKeyResponse } from '../../../src-shared/kms/shapes.generated';
import { authorizeKey, type KmsContext, resolveKey } from '../context';
import { keyMetadata } from '../engine/metadata';

/** DescribeKey: the metadata of a key named by id, key ARN, alias name or alias ARN. */
export function describeKey(ctx: KmsContext, request: DescribeKeyRequest): DescribeKeyResponse {
  const key = resolveKey(ctx, request.KeyId, 'any', 'id-or-alias');
  authorizeKey(ctx, key, 'kms:DescribeKey');
  return { KeyMetadata: keyMetadata(ctx.vault.store, key) };
}
