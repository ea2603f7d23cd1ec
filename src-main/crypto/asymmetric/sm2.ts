import { ecdh as ecdhOf, weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { sm2 as gm } from 'sm-crypto-v2';
import { copyToSecret } from '../secret';

/**
 * SM2 (GB/T 32918, GM/T 0003) as AWS KMS offers it: SM2DSA signatures with
 * SM3 and the default distinguishing ID, SM2PKE encryption with the
 * ciphertext in GM/T 0009's DER (C1, C3, C2: what OpenSSL reads and writes),
 * and ECDH on the SM2 curve. Signing and encryption are sm-crypto-v2's;
 * keys, points and ECDH are @noble/curves' with the curve below (Electron's
 * BoringSSL has no SM2). sm-crypto-v2 takes keys as hex strings, which
 * cannot be zero-filled: a scalar passed to it lives on in the JavaScript
 * heap until collected, as it does inside @noble's BigInt arithmetic.
 */

/** The SM2 curve's domain parameters (GB/T 32918.5; OpenSSL's `SM2`). */
const SM2_CURVE = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
};

/** Key generation, public points and ECDH on the SM2 curve. */
export const sm2Curve = ecdhOf(weierstrass(SM2_CURVE));

/** The OID of the SM2 curve (named in its keys' AlgorithmIdentifier, with id-ecPublicKey). */
export const SM2_OID = '1.2.156.10197.1.301';

/** The distinguishing ID AWS KMS (and OpenSSL's default for SM2) hashes into Z for SM2DSA. */
export const SM2_DEFAULT_ID = '1234567812345678';

/** The length of an SM3 digest, which SM2DSA signs (MessageType DIGEST takes e = SM3(Z ‖ M)). */
export const SM3_BYTES = 32;

/** A valid SM2 private key: in [1, n − 2], since SM2DSA inverts 1 + d. */
export function isValidSm2Scalar(scalar: Uint8Array): boolean {
  if (!sm2Curve.utils.isValidSecretKey(scalar)) return false;
  return BigInt(`0x${Buffer.from(scalar).toString('hex')}`) !== SM2_CURVE.n - 1n;
}

/** A fresh SM2 private scalar (32 bytes) the caller zero-fills. */
export function randomSm2Scalar(): Uint8Array {
  for (;;) {
    const scalar = sm2Curve.utils.randomSecretKey();
    if (isValidSm2Scalar(scalar)) return scalar;
    scalar.fill(0);
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/**
 * The SM2DSA signature (DER, as AWS KMS and OpenSSL give it) by `scalar`
 * (whose public point is `point`): of SM3(Z ‖ message) for a message, or of
 * `digest` itself, which is that value computed by the caller.
 */
export function sm2Sign(scalar: Uint8Array, point: Uint8Array, input: { message: Uint8Array } | { digest: Uint8Array }): Buffer {
  const hashed = 'message' in input;
  const signature = gm.doSignature(hashed ? input.message : input.digest, hex(scalar), { der: true, hash: hashed, publicKey: hex(point), userId: SM2_DEFAULT_ID });
  return Buffer.from(signature, 'hex');
}

/** Whether `signature` (DER) is an SM2DSA signature of the message or digest (see {@link sm2Sign}) by the key of `point`. */
export function sm2Verify(point: Uint8Array, input: { message: Uint8Array } | { digest: Uint8Array }, signature: Uint8Array): boolean {
  const hashed = 'message' in input;
  try {
    return gm.doVerifySignature(hashed ? input.message : input.digest, hex(signature), hex(point), { der: true, hash: hashed, userId: SM2_DEFAULT_ID });
  } catch {
    return false;
  }
}

/** The SM2PKE ciphertext of `plaintext` to the key of `point`, in GM/T 0009 DER (C1 x, C1 y, C3, C2). */
export function sm2Encrypt(point: Uint8Array, plaintext: Uint8Array): Buffer {
  return Buffer.from(gm.doEncrypt(plaintext, hex(point), 1, { asn1: true }), 'hex');
}

/** The plaintext of an SM2PKE ciphertext (GM/T 0009 DER) under `scalar`, in a secret buffer the caller zero-fills; undefined when it does not decrypt. */
export function sm2Decrypt(scalar: Uint8Array, ciphertext: Uint8Array): Buffer | undefined {
  let plaintext: Uint8Array;
  try {
    plaintext = gm.doDecrypt(hex(ciphertext), hex(scalar), 1, { output: 'array', asn1: true });
  } catch {
    return undefined;
  }
  // sm-crypto-v2 answers a C3 that does not match with an empty array; SM2PKE never encrypts an empty plaintext here.
  if (plaintext.length === 0) return undefined;
  try {
    return copyToSecret(plaintext);
  } finally {
    plaintext.fill(0);
  }
}
