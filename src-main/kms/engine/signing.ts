import { createHash } from 'node:crypto';
import { assertNever } from '../../../src-shared/brand';
import { KmsError } from '../../../src-shared/errors';
import { ecdsaSign, ecdsaVerify } from '../../crypto/asymmetric/ec';
import { ed25519Sign, ed25519Verify } from '../../crypto/asymmetric/ed25519';
import { MU_BYTES, mlDsaSign, mlDsaVerify } from '../../crypto/asymmetric/mlDsa';
import type { PublicKey } from '../../crypto/asymmetric/publicKey';
import { hashBytes, rsaSign, rsaVerify, type RsaPadding, type SignedInput } from '../../crypto/asymmetric/rsa';
import { SM3_BYTES, sm2Sign, sm2Verify } from '../../crypto/asymmetric/sm2';
import type { SigningAlgorithm } from '../keySpecs';
import type { PrivateKey } from './keyPairs';

type Hash = 'sha256' | 'sha384' | 'sha512';

/** How a signing algorithm signs: with which key family and hash, and (RSA) which padding. */
export type Scheme =
  | { readonly family: 'rsa'; readonly padding: RsaPadding; readonly hash: Hash }
  | { readonly family: 'ecdsa'; readonly hash: Hash }
  | { readonly family: 'ed25519'; readonly prehashed: boolean }
  | { readonly family: 'mldsa' }
  | { readonly family: 'sm2' };

export function schemeOf(algorithm: SigningAlgorithm): Scheme {
  switch (algorithm) {
    case 'RSASSA_PSS_SHA_256':
      return { family: 'rsa', padding: 'pss', hash: 'sha256' };
    case 'RSASSA_PSS_SHA_384':
      return { family: 'rsa', padding: 'pss', hash: 'sha384' };
    case 'RSASSA_PSS_SHA_512':
      return { family: 'rsa', padding: 'pss', hash: 'sha512' };
    case 'RSASSA_PKCS1_V1_5_SHA_256':
      return { family: 'rsa', padding: 'pkcs1', hash: 'sha256' };
    case 'RSASSA_PKCS1_V1_5_SHA_384':
      return { family: 'rsa', padding: 'pkcs1', hash: 'sha384' };
    case 'RSASSA_PKCS1_V1_5_SHA_512':
      return { family: 'rsa', padding: 'pkcs1', hash: 'sha512' };
    case 'ECDSA_SHA_256':
      return { family: 'ecdsa', hash: 'sha256' };
    case 'ECDSA_SHA_384':
      return { family: 'ecdsa', hash: 'sha384' };
    case 'ECDSA_SHA_512':
      return { family: 'ecdsa', hash: 'sha512' };
    case 'ED25519_SHA_512':
      return { family: 'ed25519', prehashed: false };
    case 'ED25519_PH_SHA_512':
      return { family: 'ed25519', prehashed: true };
    case 'ML_DSA_SHAKE_256':
      return { family: 'mldsa' };
    case 'SM2DSA':
      return { family: 'sm2' };
    default:
      return assertNever(algorithm, 'signing algorithm');
  }
}

/** What Sign and Verify give: the message or its digest, how it is given, and the algorithm. */
export interface SigningRequest {
  readonly Message: string;
  readonly MessageType?: 'RAW' | 'DIGEST' | 'EXTERNAL_MU' | undefined;
  readonly SigningAlgorithm: SigningAlgorithm;
}

/** The hash the algorithm signs with, for a message it hashes or a digest it is given; undefined for pure Ed25519, which signs the message itself. */
function hashOf(scheme: Scheme): Hash | undefined {
  if (scheme.family === 'rsa' || scheme.family === 'ecdsa') return scheme.hash;
  return scheme.family === 'ed25519' && scheme.prehashed ? 'sha512' : undefined;
}

/**
 * Checks what AWS KMS checks of a Sign or Verify request before it looks at
 * the key: a DIGEST is as long as the algorithm's hash, pure Ed25519 takes a
 * RAW message only, and EXTERNAL_MU (a 64-byte μ) is for ML-DSA alone, which
 * takes no DIGEST (ValidationException).
 */
export function checkSigningRequest(request: SigningRequest): void {
  const scheme = schemeOf(request.SigningAlgorithm);
  const type = request.MessageType ?? 'RAW';
  if (type === 'EXTERNAL_MU') {
    if (scheme.family !== 'mldsa') throw new KmsError('ValidationException', `MessageType EXTERNAL_MU is for ML_DSA_SHAKE_256 only, not ${request.SigningAlgorithm}.`);
    const length = Buffer.from(request.Message, 'base64').length;
    if (length !== MU_BYTES) throw new KmsError('ValidationException', `An EXTERNAL_MU Message is the ${String(MU_BYTES)}-byte μ of FIPS 204; this Message has ${String(length)}.`);
    return;
  }
  if (type !== 'DIGEST') return;
  if (scheme.family === 'sm2') {
    const length = Buffer.from(request.Message, 'base64').length;
    if (length !== SM3_BYTES) throw new KmsError('ValidationException', `An SM2DSA DIGEST is e = SM3(Z ‖ M) of ${String(SM3_BYTES)} bytes; this Message has ${String(length)}.`);
    return;
  }
  const hash = hashOf(scheme);
  if (scheme.family === 'mldsa') throw new KmsError('ValidationException', 'ML_DSA_SHAKE_256 takes MessageType RAW, or EXTERNAL_MU with the 64-byte μ, not DIGEST.');
  if (hash === undefined) throw new KmsError('ValidationException', `${request.SigningAlgorithm} signs the message itself: give MessageType RAW (or use ED25519_PH_SHA_512 for a SHA-512 digest).`);
  const length = Buffer.from(request.Message, 'base64').length;
  if (length !== hashBytes(hash)) {
    throw new KmsError('ValidationException', `A ${request.SigningAlgorithm} DIGEST is a ${hash.toUpperCase()} digest of ${String(hashBytes(hash))} bytes; this Message has ${String(length)}.`);
  }
}

/** What the key signs: the message, or the digest (computed here for a RAW message to a scheme that signs digests). */
export function signedInput(scheme: Scheme, request: SigningRequest): SignedInput {
  const bytes = Buffer.from(request.Message, 'base64');
  const hash = hashOf(scheme);
  if ((request.MessageType ?? 'RAW') === 'DIGEST') return { digest: bytes };
  if (scheme.family === 'rsa' || scheme.family === 'sm2' || hash === undefined) return { message: bytes };
  return { digest: createHash(hash).update(bytes).digest() };
}

function bytesOf(input: SignedInput): Buffer {
  return 'message' in input ? input.message : input.digest;
}

/** The signature AWS KMS's Sign returns (ECDSA in DER), by `key` with the request's algorithm (SM2DSA hashes the public key into Z: `publicKey` gives it, asked only then). */
export function signWith(key: PrivateKey, request: SigningRequest, publicKey: () => PublicKey): Buffer {
  const scheme = schemeOf(request.SigningAlgorithm);
  const input = signedInput(scheme, request);
  if (scheme.family === 'rsa' && key.kind === 'rsa') return rsaSign(key.key, key.bits, scheme.padding, scheme.hash, input);
  if (scheme.family === 'ecdsa' && key.kind === 'ec' && key.curve !== 'SM2') return ecdsaSign(key.curve, key.scalar, bytesOf(input));
  if (scheme.family === 'sm2' && key.kind === 'ec' && key.curve === 'SM2') {
    const own = publicKey();
    if (own.kind === 'ec') return sm2Sign(key.scalar, own.point, input);
  }
  if (scheme.family === 'ed25519' && key.kind === 'ed25519') return ed25519Sign(key.seed, bytesOf(input), scheme.prehashed);
  if (scheme.family === 'mldsa' && key.kind === 'mldsa') return mlDsaSign(key.level, key.seed, bytesOf(input), request.MessageType === 'EXTERNAL_MU');
  throw new KmsError('InvalidKeyUsageException', `${request.SigningAlgorithm} does not sign with a ${key.kind} key.`);
}

/** Whether `signature` is the request's algorithm's signature of its message by the key of `key`, its public key. */
export function verifyWith(key: PublicKey, request: SigningRequest, signature: Buffer): boolean {
  const scheme = schemeOf(request.SigningAlgorithm);
  const input = signedInput(scheme, request);
  if (scheme.family === 'rsa' && key.kind === 'rsa') return rsaVerify(key.key, key.bits, scheme.padding, scheme.hash, input, signature);
  if (scheme.family === 'ecdsa' && key.kind === 'ec' && key.curve !== 'SM2') return ecdsaVerify(key.curve, key.point, bytesOf(input), signature);
  if (scheme.family === 'sm2' && key.kind === 'ec' && key.curve === 'SM2') return sm2Verify(key.point, input, signature);
  if (scheme.family === 'ed25519' && key.kind === 'ed25519') return ed25519Verify(key.point, bytesOf(input), signature, scheme.prehashed);
  if (scheme.family === 'mldsa' && key.kind === 'mldsa') return mlDsaVerify(key.level, key.raw, bytesOf(input), signature, request.MessageType === 'EXTERNAL_MU');
  throw new KmsError('InvalidKeyUsageException', `${request.SigningAlgorithm} does not verify with a ${key.kind} key.`);
}
