import { randomBytes } from 'node:crypto';
import { KmsError } from '../../../src-shared/errors';
import { wrapStorePin } from '../../crypto/backingKeys';
import { closeFound, openToken } from '../engine/customKeyStores';
import { declare } from '../pipeline/declaration';

/**
 * CreateCustomKeyStore: a PKCS#11 token that will hold KMS keys, in AWS's
 * CloudHSM shape: TrustAnchorCertificate is the token's PKCS#11 URI,
 * KeyStorePassword its user PIN (not needed for the vault's own token), and
 * CloudHsmClusterId, when given, must be the one Strongroom derives for the
 * token. The store starts disconnected.
 */
export const createCustomKeyStore = declare({
  name: 'CreateCustomKeyStore',
  action: 'kms:CreateCustomKeyStore',
  kind: 'change',
  hiddenMembers: ['KeyStorePassword'],
  check: (request) => {
    if ((request.CustomKeyStoreType ?? 'AWS_CLOUDHSM') !== 'AWS_CLOUDHSM' || request.XksProxyUriEndpoint !== undefined) {
      throw new KmsError('ValidationException', 'External key stores are not supported on this desktop: give CustomKeyStoreType AWS_CLOUDHSM (a PKCS#11 token).');
    }
    if (request.TrustAnchorCertificate === undefined) throw new KmsError('ValidationException', 'TrustAnchorCertificate is required: the PKCS#11 URI of the token, e.g. pkcs11:token=Keys;serial=1234?module-path=/usr/lib/softhsm/libsofthsm2.so');
  },
  handler: (ctx, request) => {
    const stores = ctx.vault.store.customKeyStores;
    if (stores.list().some((row) => row.name === request.CustomKeyStoreName)) throw new KmsError('CustomKeyStoreNameInUseException', `There is already a custom key store named "${request.CustomKeyStoreName}".`);
    const found = openToken(ctx.unlocked, request.TrustAnchorCertificate ?? '', () => request.KeyStorePassword);
    try {
      if (request.CloudHsmClusterId !== undefined && request.CloudHsmClusterId !== found.clusterId) {
        throw new KmsError('CloudHsmClusterNotFoundException', `The token the URI names is ${found.clusterId}, not ${request.CloudHsmClusterId}.`);
      }
      const taken = stores.list().find((row) => row.clusterId === found.clusterId);
      if (taken !== undefined) throw new KmsError('CloudHsmClusterInUseException', `Custom key store ${taken.id} already holds keys on this token (${found.clusterId}).`);
      const id = `cks-${randomBytes(9).toString('hex').slice(0, 17)}`;
      const pin = found.own || request.KeyStorePassword === undefined ? undefined : Buffer.from(request.KeyStorePassword, 'utf8');
      try {
        stores.insert({ id, name: request.CustomKeyStoreName, tokenUri: found.uri, clusterId: found.clusterId, wrappedPin: pin === undefined ? null : wrapStorePin(ctx.unlocked.rootKey.value, id, pin), connected: 0, createdAt: Date.now() });
      } finally {
        pin?.fill(0);
      }
      return { CustomKeyStoreId: id };
    } finally {
      closeFound(found);
    }
  },
});
