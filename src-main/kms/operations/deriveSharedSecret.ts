import { KmsError } from '../../../src-shared/errors';
import { ecdh, ecPoint } from '../../crypto/asymmetric/ec';
import { withPrivateKey } from '../engine/keyPairs';
import { deriveOnToken } from '../engine/tokenKeyPairs';
import { declare } from '../pipeline/declaration';

/** DeriveSharedSecret: the ECDH shared secret of a KEY_AGREEMENT key's private key and a peer's public key (DER SubjectPublicKeyInfo on the same curve). */
export const deriveSharedSecret = declare({
  name: 'DeriveSharedSecret',
  action: 'kms:DeriveSharedSecret',
  kind: 'data',
  keys: { key: { from: 'KeyId', naming: 'id-or-alias', states: 'crypto', usage: { usage: 'KEY_AGREEMENT', algorithm: (request) => request.KeyAgreementAlgorithm } } },
  handler: (ctx, request, { key }) => {
    const peerSpki = Buffer.from(request.PublicKey, 'base64');
    const { shared, materialId } =
      key.origin === 'AWS_CLOUDHSM'
        ? deriveOnToken(ctx, key, peerSpki)
        : withPrivateKey(ctx, key, (privateKey, id) => {
            if (privateKey.kind !== 'ec') throw new KmsError('InvalidKeyUsageException', `${key.keySpec} keys do not agree keys.`);
            const peer = ecPoint(privateKey.curve, peerSpki);
            if (peer === undefined) throw new KmsError('ValidationException', `PublicKey must be a DER SubjectPublicKeyInfo of a point on ${privateKey.curve}, the curve of ${key.keySpec}.`);
            return { shared: ecdh(privateKey.curve, privateKey.scalar, peer), materialId: id };
          });
    ctx.eventData.keyMaterialId = materialId;
    try {
      return { KeyId: ctx.vault.store.keyArn(key.keyId), SharedSecret: shared.toString('base64'), KeyAgreementAlgorithm: request.KeyAgreementAlgorithm, KeyOrigin: key.origin };
    } finally {
      shared.fill(0);
    }
  },
});
