import { KmsError } from '../../../src-shared/errors';
import { declare } from '../pipeline/declaration';

/** RevokeGrant: deletes a grant of a key, as its key policy allows; what it allowed stops at once. */
export const revokeGrant = declare({
  name: 'RevokeGrant',
  action: 'kms:RevokeGrant',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'any' } },
  check: (request) => {
    if (!/^[0-9a-f]{64}$/.test(request.GrantId)) throw new KmsError('InvalidGrantIdException', `"${request.GrantId}" is not a grant id (64 hexadecimal digits).`);
  },
  handler: (ctx, request, { key }) => {
    const { store } = ctx.vault;
    const row = store.grants.get(request.GrantId);
    if (row?.keyId !== key.keyId) throw new KmsError('NotFoundException', `${store.keyArn(key.keyId)} has no grant ${request.GrantId}.`);
    store.grants.delete(row.grantId);
    store.grantsChanged(key.keyId);
    return {};
  },
});
