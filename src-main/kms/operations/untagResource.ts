import { refuseReservedTagKey } from '../engine/tags';
import { declare } from '../pipeline/declaration';

/** UntagResource: removes the named tags from a customer managed key; tag keys it does not have are ignored, reserved `aws:` ones refused. */
export const untagResource = declare({
  name: 'UntagResource',
  action: 'kms:UntagResource',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'manage' } },
  keyInResponse: true,
  check: (request) => {
    request.TagKeys.forEach(refuseReservedTagKey);
  },
  handler: (ctx, request, { key }) => {
    const { store } = ctx.vault;
    store.db.transaction(() => {
      store.tags.remove(key.keyId, request.TagKeys);
    })();
    return {};
  },
});
