import { createHmac, timingSafeEqual } from 'node:crypto';
import { assertNever } from '../../../src-shared/brand';
import type { MacAlgorithm } from '../keySpecs';
import { macOnToken, macVerifiesOnToken } from './tokenKeyPairs';
import type { AuthorizedKey, KeyDeclaration, KmsContext } from '../pipeline/declaration';

function hashOf(algorithm: MacAlgorithm): string {
  switch (algorithm) {
    case 'HMAC_SHA_224':
      return 'sha224';
    case 'HMAC_SHA_256':
      return 'sha256';
    case 'HMAC_SHA_384':
      return 'sha384';
    case 'HMAC_SHA_512':
      return 'sha512';
    default:
      return assertNever(algorithm, 'MAC algorithm');
  }
}

/** What GenerateMac and VerifyMac give. */
interface MacRequest {
  readonly KeyId: string;
  readonly Message: string;
  readonly MacAlgorithm: MacAlgorithm;
}

/** How GenerateMac and VerifyMac declare their key: Enabled, for GENERATE_VERIFY_MAC, with the request's MAC algorithm. */
export function macKey<R extends MacRequest>(): KeyDeclaration<R> {
  return { from: (request) => request.KeyId, naming: 'id-or-alias', states: 'crypto', usage: { usage: 'GENERATE_VERIFY_MAC', algorithm: (request) => request.MacAlgorithm } };
}

/**
 * The HMAC (RFC 2104) of the request's message under the HMAC key's current
 * material (cached while the vault is unlocked, as symmetric backing keys
 * are; computed by the token for a key in a custom key store), noted in the
 * call's record.
 */
export function macOf(ctx: KmsContext, key: AuthorizedKey, request: MacRequest): Buffer {
  const message = Buffer.from(request.Message, 'base64');
  if (key.origin === 'AWS_CLOUDHSM') {
    const { mac, materialId } = macOnToken(ctx, key, request.MacAlgorithm, message);
    ctx.eventData.keyMaterialId = materialId;
    return mac;
  }
  const { material, materialId } = ctx.vault.store.macKey(ctx.unlocked.rootKey.value, key.keyId, key.currentVersion);
  ctx.eventData.keyMaterialId = materialId;
  return createHmac(hashOf(request.MacAlgorithm), material).update(message).digest();
}

/** Whether `mac` is the request's HMAC: compared in constant time, or by the token (C_Verify) for a key in a custom key store. */
export function macMatches(ctx: KmsContext, key: AuthorizedKey, request: MacRequest, mac: Buffer): boolean {
  if (key.origin === 'AWS_CLOUDHSM') {
    const { valid, materialId } = macVerifiesOnToken(ctx, key, request.MacAlgorithm, Buffer.from(request.Message, 'base64'), mac);
    ctx.eventData.keyMaterialId = materialId;
    return valid;
  }
  const expected = macOf(ctx, key, request);
  return mac.length === expected.length && timingSafeEqual(mac, expected);
}
