import { KmsError } from '../../../src-shared/errors';
import { withPrivateKey } from '../engine/keyPairs';
import { checkSigningRequest, verifyWith } from '../engine/signing';
import { declare } from '../pipeline/declaration';

/** Verify: whether a signature is the key's signature of a message or digest; KMSInvalidSignatureException when it is not. */
export const verify = declare({
  name: 'Verify',
  action: 'kms:Verify',
  kind: 'data',
  keys: { key: { from: 'KeyId', naming: 'id-or-alias', states: 'crypto', usage: { usage: 'SIGN_VERIFY', algorithm: (request) => request.SigningAlgorithm } } },
  check: checkSigningRequest,
  recordedDefaults: { MessageType: 'RAW' },
  handler: (ctx, request, { key }) => {
    const valid = withPrivateKey(ctx, key, (privateKey, materialId) => {
      ctx.eventData.keyMaterialId = materialId;
      return verifyWith(privateKey, request, Buffer.from(request.Signature, 'base64'));
    });
    if (!valid) throw new KmsError('KMSInvalidSignatureException', `The signature is not ${ctx.vault.store.keyArn(key.keyId)}'s ${request.SigningAlgorithm} signature of this message.`);
    return { KeyId: ctx.vault.store.keyArn(key.keyId), SignatureValid: true, SigningAlgorithm: request.SigningAlgorithm };
  },
});
