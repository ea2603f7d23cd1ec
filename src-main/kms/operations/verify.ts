import { KmsError } from '../../../src-shared/errors';
import { verifyByKey } from '../engine/signatures';
import { checkSigningRequest } from '../engine/signing';
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
    const signature = Buffer.from(request.Signature, 'base64');
    const { valid, materialId } = verifyByKey(ctx, key, request, signature);
    ctx.eventData.keyMaterialId = materialId;
    if (!valid) throw new KmsError('KMSInvalidSignatureException', `The signature is not ${ctx.vault.store.keyArn(key.keyId)}'s ${request.SigningAlgorithm} signature of this message.`);
    return { KeyId: ctx.vault.store.keyArn(key.keyId), SignatureValid: true, SigningAlgorithm: request.SigningAlgorithm };
  },
});
