import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { randomFillSync } from 'node:crypto';
import { copyToSecret, secretBuffer } from '../secret';
import { decodePkcs8, decodeSpki, encodePkcs8, encodeSpki } from './der';

/** The ML-DSA parameter sets of AWS KMS's ML_DSA_44, ML_DSA_65 and ML_DSA_87 key specs. */
export type MlDsaLevel = 44 | 65 | 87;

/** FIPS 204 ML-DSA from @noble/post-quantum, and each parameter set's OID (NIST CSOR; RFC 9881 for its X.509 and PKCS#8 encodings). */
const SETS = {
  44: { dsa: ml_dsa44, oid: '2.16.840.1.101.3.4.3.17' },
  65: { dsa: ml_dsa65, oid: '2.16.840.1.101.3.4.3.18' },
  87: { dsa: ml_dsa87, oid: '2.16.840.1.101.3.4.3.19' },
} as const;

const SEED_BYTES = 32;
/** RFC 9881's seed form of ML-DSA-PrivateKey: [0] IMPLICIT OCTET STRING (SIZE (32)). */
const SEED_PREFIX = Buffer.from([0x80, SEED_BYTES]);
/** The length of a message representative μ (FIPS 204, "external μ"). */
export const MU_BYTES = 64;

/** A fresh ML-DSA private key as PKCS#8 DER in its seed form (RFC 9881), in a secret buffer. */
export function generateMlDsaKey(level: MlDsaLevel): Buffer {
  const seed = randomFillSync(secretBuffer(SEED_BYTES));
  const inner = Buffer.concat([SEED_PREFIX, seed]);
  try {
    return encodePkcs8({ oid: SETS[level].oid }, inner);
  } finally {
    inner.fill(0);
    seed.fill(0);
  }
}

/** The 32-byte seed of a PKCS#8 ML-DSA key of `level` (seed form, or the "both" form's seed), in a secret buffer; undefined when it is not one. */
export function mlDsaSeed(level: MlDsaLevel, pkcs8: Uint8Array): Buffer | undefined {
  const info = decodePkcs8(pkcs8);
  if (info?.algorithm.oid !== SETS[level].oid || info.algorithm.parameters !== undefined) return undefined;
  try {
    const key = info.privateKey;
    if (key.length === 2 + SEED_BYTES && key[0] === 0x80 && key[1] === SEED_BYTES) return copyToSecret(key.subarray(2));
    // both ::= SEQUENCE { seed OCTET STRING (SIZE (32)), expandedKey OCTET STRING }: the seed comes first.
    const seedAt = key[0] === 0x30 ? (key[1] === 0x82 ? 4 : key[1] === 0x81 ? 3 : 2) : -1;
    if (seedAt > 0 && key[seedAt] === 0x04 && key[seedAt + 1] === SEED_BYTES) return copyToSecret(key.subarray(seedAt + 2, seedAt + 2 + SEED_BYTES));
    return undefined;
  } finally {
    info.privateKey.fill(0);
  }
}

/** The public key of an ML-DSA seed, and its DER SubjectPublicKeyInfo. */
export function mlDsaPublicKey(level: MlDsaLevel, seed: Uint8Array): { raw: Uint8Array; spki: Buffer } {
  const { publicKey, secretKey } = SETS[level].dsa.keygen(seed);
  secretKey.fill(0);
  return { raw: publicKey, spki: encodeSpki({ oid: SETS[level].oid }, publicKey) };
}

/** The raw public key of a DER SubjectPublicKeyInfo of ML-DSA `level`; undefined otherwise. */
export function mlDsaPoint(level: MlDsaLevel, spki: Uint8Array): Uint8Array | undefined {
  const decoded = decodeSpki(spki);
  return decoded?.algorithm.oid === SETS[level].oid ? decoded.publicKey : undefined;
}

/** An ML-DSA signature (FIPS 204, hedged, empty context) of `message`, or with `externalMu`, of the 64-byte μ the caller computed. */
export function mlDsaSign(level: MlDsaLevel, seed: Uint8Array, message: Uint8Array, externalMu: boolean): Buffer {
  const { dsa } = SETS[level];
  const { secretKey } = dsa.keygen(seed);
  try {
    return Buffer.from(externalMu ? dsa.internal.sign(message, secretKey, { externalMu: true }) : dsa.sign(message, secretKey));
  } finally {
    secretKey.fill(0);
  }
}

/** Whether `signature` is an ML-DSA signature of `message` (or of μ, with `externalMu`) by `publicKey`. */
export function mlDsaVerify(level: MlDsaLevel, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, externalMu: boolean): boolean {
  const { dsa } = SETS[level];
  try {
    return externalMu ? dsa.internal.verify(signature, message, publicKey, { externalMu: true }) : dsa.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}
