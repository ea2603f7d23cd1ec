import { signByKey } from '../engine/signatures';
import { checkSigningRequest } from '../engine/signing';
import { declare } from '../pipeline/declaration';

/** Sign: a signature of a message (up to 4096 bytes) or of its digest, by the private key of an asymmetric SIGN_VERIFY key. */
export const sign = declare({
  name: 'Sign',
  action: 'kms:Sign',
  kind: 'data',
  keys: { key: { from: 'KeyId', naming: 'id-or-alias', states: 'crypto', usage: { usage: 'SIGN_VERIFY', algorithm: (request) => request.SigningAlgorithm } } },
  check: checkSigningRequest,
  recordedDefaults: { MessageType: 'RAW' },
  handler: (ctx, request, { key }) => {
    const { signature, materialId } = signByKey(ctx, key, request);
    ctx.eventData.keyMaterialId = materialId;
    return { KeyId: ctx.vault.store.keyArn(key.keyId), Signature: signature.toString('base64'), SigningAlgorithm: request.SigningAlgorithm };
  },
});
