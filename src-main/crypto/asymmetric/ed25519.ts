import { eddsa } from '@noble/curves/abstract/edwards.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { sha512 } from '@noble/hashes/sha2.js';
import { arrayBufferOf, decodePkcs8, decodeSpki, encodePkcs8, encodeSpki } from './der';
import { copyToSecret } from '../secret';

const ED25519_OID = '1.3.101.112';
const ALGORITHM = { oid: ED25519_OID };
const SEED_BYTES = 32;

/** RFC 8032's dom2 prefix for Ed25519ph (phflag 1) with an empty context. */
function dom2(data: Uint8Array, context: Uint8Array, phflag: boolean): Uint8Array {
  const prefix = Buffer.from('SigEd25519 no Ed25519 collisions', 'ascii');
  return Buffer.concat([prefix, Uint8Array.of(phflag ? 1 : 0, context.length), context, data]);
}

/** RFC 8032's clamping of an Ed25519 secret scalar. */
function clamp(bytes: Uint8Array): Uint8Array {
  bytes[0] = (bytes[0] ?? 0) & 248;
  bytes[31] = ((bytes[31] ?? 0) & 127) | 64;
  return bytes;
}

/** Ed25519ph over a SHA-512 digest the caller has already computed (AWS's DIGEST message type): @noble/curves' Ed25519 with dom2 and no further hashing. */
const ed25519phOfDigest = eddsa(ed25519.Point, sha512, { adjustScalarBytes: clamp, domain: dom2, prehash: (digest: Uint8Array) => digest });

/** A fresh Ed25519 private key as PKCS#8 DER (RFC 8410) in a secret buffer. */
export function generateEd25519Key(): Buffer {
  const seed = ed25519.utils.randomSecretKey();
  try {
    const seedCopy = arrayBufferOf(seed);
    const inner = new Uint8Array(AsnConvert.serialize(new OctetString(seedCopy)));
    try {
      return encodePkcs8(ALGORITHM, inner);
    } finally {
      inner.fill(0);
      new Uint8Array(seedCopy).fill(0);
    }
  } finally {
    seed.fill(0);
  }
}

/** The 32-byte seed of a PKCS#8 Ed25519 key, in a secret buffer the caller zero-fills; undefined when it is not one. */
export function ed25519Seed(pkcs8: Uint8Array): Buffer | undefined {
  const info = decodePkcs8(pkcs8);
  if (info?.algorithm.oid !== ED25519_OID) return undefined;
  try {
    const seed = new Uint8Array(AsnConvert.parse(info.privateKey, OctetString).buffer);
    try {
      return seed.length === SEED_BYTES ? copyToSecret(seed) : undefined;
    } finally {
      seed.fill(0);
    }
  } catch {
    return undefined;
  } finally {
    info.privateKey.fill(0);
  }
}

/** The 32-byte public key of an Ed25519 seed. */
export function ed25519PublicBytes(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed);
}

/** The DER SubjectPublicKeyInfo of an Ed25519 seed. */
export function ed25519PublicKey(seed: Uint8Array): Buffer {
  return encodeSpki(ALGORITHM, ed25519PublicBytes(seed));
}

/** The 32-byte public key of a DER SubjectPublicKeyInfo for Ed25519; undefined otherwise. */
export function ed25519Point(spki: Uint8Array): Uint8Array | undefined {
  const decoded = decodeSpki(spki);
  return decoded?.algorithm.oid === ED25519_OID && decoded.publicKey.length === 32 ? decoded.publicKey : undefined;
}

/** An Ed25519 signature of `message` (pure Ed25519), or with `prehashed`, an Ed25519ph signature of the SHA-512 digest `message`. */
export function ed25519Sign(seed: Uint8Array, message: Uint8Array, prehashed: boolean): Buffer {
  return Buffer.from(prehashed ? ed25519phOfDigest.sign(message, seed) : ed25519.sign(message, seed));
}

/** Whether `signature` is a valid signature of `message` by `publicKey`, as {@link ed25519Sign} makes them (RFC 8032 rules, not ZIP-215). */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, prehashed: boolean): boolean {
  try {
    return (prehashed ? ed25519phOfDigest : ed25519).verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}
