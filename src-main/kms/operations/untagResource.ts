import type { UntagResourceRequest } from '../../../src-shared/kms/shapes.generated';
import { authorize } from '../../policy/authorize';
import { resolveKey, type KmsContext } from '../context';

/** UntagResource: removes the named tags from a customer managed key; tag keys it does not have are ignored. */
export function untagResource(ctx: KmsContext, request: UntagResourceRequest): Record<string, never> {
  const key = resolveKey(ctx, request.KeyId, 'manage');
  const { store } = ctx.vault;
  ctx.vault.use(({ principal }) => {
    authorize({ principal, action: 'kms:UntagResource', resource: store.keyArn(key.keyId), keyManager: key.keyManager });
  });
  store.db.transaction(() => {
    store.tags.remove(key.keyId, request.TagKeys);
  })();
  return {};
}
