import { KmsError } from '../../../src-shared/errors';
import { macKey, macMatches } from '../engine/mac';
import { declare, type RequestOf } from '../pipeline/declaration';

/** VerifyMac: whether a MAC is the HMAC of a message under an HMAC key; KMSInvalidMacException when it is not. */
export const verifyMac = declare({
  name: 'VerifyMac',
  action: 'kms:VerifyMac',
  kind: 'data',
  keys: { key: macKey<RequestOf<'VerifyMac'>>() },
  handler: (ctx, request, { key }) => {
    const arn = ctx.vault.store.keyArn(key.keyId);
    if (!macMatches(ctx, key, request, Buffer.from(request.Mac, 'base64'))) throw new KmsError('KMSInvalidMacException', `The MAC is not ${arn}'s ${request.MacAlgorithm} of this message.`);
    return { KeyId: arn, MacValid: true, MacAlgorithm: request.MacAlgorithm };
  },
});
