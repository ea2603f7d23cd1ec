import { macKey, macOf } from '../engine/mac';
import { declare, type RequestOf } from '../pipeline/declaration';

/** GenerateMac: the HMAC of a message (up to 4096 bytes) under an HMAC key. */
export const generateMac = declare({
  name: 'GenerateMac',
  action: 'kms:GenerateMac',
  kind: 'data',
  keys: { key: macKey<RequestOf<'GenerateMac'>>() },
  handler: (ctx, request, { key }) => ({ Mac: macOf(ctx, key, request).toString('base64'), MacAlgorithm: request.MacAlgorithm, KeyId: ctx.vault.store.keyArn(key.keyId) }),
});
