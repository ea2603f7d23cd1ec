import { KmsError } from '../../../src-shared/errors';
import { grantOfToken, mayRetire } from '../engine/grants';
import { declare } from '../pipeline/declaration';
import { noteResource } from '../pipeline/steps';

const GRANT_ID = /^[0-9a-f]{64}$/;

/**
 * RetireGrant: deletes a grant named by its token, or by its key and id.
 * The grant decides who may: the account that made it, its retiring
 * principal, or its grantee when it allows RetireGrant.
 */
export const retireGrant = declare({
  name: 'RetireGrant',
  action: 'kms:RetireGrant',
  kind: 'change',
  authorizedByGrant: true,
  optionalKeys: { key: { from: 'KeyId', naming: 'id', states: 'any' } },
  check: (request) => {
    if (request.GrantToken === undefined && (request.KeyId === undefined || request.GrantId === undefined)) throw new KmsError('ValidationException', 'Name the grant by its GrantToken, or by KeyId and GrantId.');
    if (request.GrantId !== undefined && !GRANT_ID.test(request.GrantId)) throw new KmsError('InvalidGrantIdException', `"${request.GrantId}" is not a grant id (64 hexadecimal digits).`);
  },
  handler: (ctx, request, { key }) => {
    const { store } = ctx.vault;
    const row = request.GrantToken === undefined ? store.grants.get(request.GrantId ?? '') : grantOfToken(store, request.GrantToken);
    if (row === undefined || (key !== undefined && row.keyId !== key.keyId)) throw new KmsError('NotFoundException', `${key === undefined ? 'The key' : store.keyArn(key.keyId)} has no grant ${String(request.GrantId)}.`);
    if (request.GrantId !== undefined && row.grantId !== request.GrantId) throw new KmsError('InvalidGrantIdException', 'The GrantId is not the grant the GrantToken names.');
    const arn = store.keyArn(row.keyId);
    noteResource(ctx, arn);
    const { principal } = ctx.caller;
    if (!mayRetire(principal, row)) {
      throw new KmsError('AccessDeniedException', `User: ${principal.arn} is not authorized to perform: kms:RetireGrant on resource: ${arn} because no policy or grant allows it. Only the account that made grant ${row.grantId}, its retiring principal, or its grantee when it allows RetireGrant may retire it.`);
    }
    store.grants.delete(row.grantId);
    store.grantsChanged(row.keyId);
    return {};
  },
});
