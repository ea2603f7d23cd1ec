import { KmsError } from '../../../src-shared/errors';
import { grantConstraintsOf } from '../../policy/grants';
import { checkGrant, constraintsText, grantToken, MAX_GRANTS_PER_KEY, newGrantId } from '../engine/grants';
import { declare } from '../pipeline/declaration';

/**
 * CreateGrant: lets a principal use a key for some operations, optionally
 * only with a given encryption context; acts at once. With a Name, the same
 * request again gives the same grant (AWS's idempotency). 50,000 grants a key.
 */
export const createGrant = declare({
  name: 'CreateGrant',
  action: 'kms:CreateGrant',
  kind: 'change',
  keys: {
    key: {
      from: 'KeyId',
      naming: 'id',
      states: 'crypto',
      facts: (request) => ({
        grantOperations: request.Operations,
        grantIsForAWSResource: false,
        grantConstraints: grantConstraintsOf(request.Constraints) ?? {},
      }),
    },
  },
  handler: (ctx, request, { key }) => {
    checkGrant(key, request);
    const { store } = ctx.vault;
    const operations = JSON.stringify([...new Set(request.Operations)]);
    const constraints = constraintsText(request.Constraints);
    const retiring = request.RetiringPrincipal ?? null;
    const same = request.Name === undefined ? undefined : store.grants.ofKey(key.keyId).find((g) => g.name === request.Name && g.grantee === request.GranteePrincipal && g.retiring === retiring && g.operations === operations && g.constraints === constraints);
    if (same !== undefined) return { GrantToken: grantToken(store, same), GrantId: same.grantId };
    if (store.grants.count(key.keyId) >= MAX_GRANTS_PER_KEY) throw new KmsError('LimitExceededException', `${store.keyArn(key.keyId)} has ${String(MAX_GRANTS_PER_KEY)} grants, the most a key may have: retire or revoke some first.`);
    const row = { grantId: newGrantId(), keyId: key.keyId, name: request.Name ?? null, grantee: request.GranteePrincipal, retiring, operations, constraints, issuingAccount: ctx.caller.principal.accountId, createdAt: Date.now() };
    store.grants.insert(row);
    store.grantsChanged(key.keyId);
    return { GrantToken: grantToken(store, row), GrantId: row.grantId };
  },
});
