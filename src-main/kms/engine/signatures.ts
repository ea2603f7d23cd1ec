import type { AuthorizedKey, KmsContext } from '../pipeline/declaration';
import { publicKeyOf, withPrivateKey } from './keyPairs';
import { signWith, verifyWith, type SigningRequest } from './signing';
import { signOnToken, verifyOnToken } from './tokenKeyPairs';

/** Sign and Verify with a key wherever it lives: by the token for a key in a custom key store, else here with its private key (Sign) or its cached public key (Verify). */

/** The request's signature by `key`, and the KeyMaterialId that made it. */
export function signByKey(ctx: KmsContext, key: AuthorizedKey, request: SigningRequest): { signature: Buffer; materialId: string } {
  if (key.origin === 'AWS_CLOUDHSM') return signOnToken(ctx, key, request);
  return withPrivateKey(ctx, key, (privateKey, materialId) => ({ signature: signWith(privateKey, request, () => publicKeyOf(ctx, key).key), materialId }));
}

/** Whether `signature` is `key`'s signature of the request's message, and the KeyMaterialId that checked it. */
export function verifyByKey(ctx: KmsContext, key: AuthorizedKey, request: SigningRequest, signature: Buffer): { valid: boolean; materialId: string } {
  if (key.origin === 'AWS_CLOUDHSM') return verifyOnToken(ctx, key, request, signature);
  const publicKey = publicKeyOf(ctx, key);
  return { valid: verifyWith(publicKey.key, request, signature), materialId: publicKey.materialId };
}
