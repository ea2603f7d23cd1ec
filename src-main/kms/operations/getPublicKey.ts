import { KmsError } from '../../../src-shared/errors';
import { publicKeyOf } from '../engine/keyPairs';
import { specMetadata } from '../engine/metadata';
import { publicKeyOfTokenKey } from '../engine/tokenKeyPairs';
import { isAsymmetric, specOf } from '../keySpecs';
import { declare } from '../pipeline/declaration';

/** GetPublicKey: the DER SubjectPublicKeyInfo of an asymmetric key, with its spec, usage and algorithms. */
export const getPublicKey = declare({
  name: 'GetPublicKey',
  action: 'kms:GetPublicKey',
  kind: 'read',
  keys: { key: { from: 'KeyId', naming: 'id-or-alias', states: 'crypto' } },
  handler: (ctx, _request, { key }) => {
    const arn = ctx.vault.store.keyArn(key.keyId);
    if (!isAsymmetric(specOf(key))) throw new KmsError('UnsupportedOperationException', `${arn} is a ${key.keySpec} key, which has no public key.`);
    const publicKey = (key.origin === 'AWS_CLOUDHSM' ? publicKeyOfTokenKey(ctx, key) : publicKeyOf(ctx, key)).der;
    return { KeyId: arn, PublicKey: publicKey.toString('base64'), ...specMetadata(key) };
  },
});
