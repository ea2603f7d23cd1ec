import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { ECParameters, ECPrivateKey, id_ecPublicKey, id_secp256r1, id_secp384r1, id_secp521r1 } from '@peculiar/asn1-ecc';
import type { ECDH } from '@noble/curves/abstract/weierstrass.js';
import { copyToSecret } from '../secret';
import { arrayBufferOf, decodePkcs8, decodeSpki, encodePkcs8, encodeSpki, type Algorithm } from './der';
import { isValidSm2Scalar, randomSm2Scalar, SM2_OID, sm2Curve } from './sm2';

/** The elliptic curves of AWS KMS's ECC and SM2 key specs. */
export type Curve = 'P-256' | 'P-384' | 'P-521' | 'secp256k1' | 'SM2';
/** The curves that sign with ECDSA (SM2 signs with SM2DSA: ./sm2). */
export type EcdsaCurve = Exclude<Curve, 'SM2'>;

const SECP256K1_OID = '1.3.132.0.10';
const ECDSA_CURVES = {
  'P-256': { ecdsa: p256, oid: id_secp256r1 },
  'P-384': { ecdsa: p384, oid: id_secp384r1 },
  'P-521': { ecdsa: p521, oid: id_secp521r1 },
  secp256k1: { ecdsa: secp256k1, oid: SECP256K1_OID },
} as const;

/** Keys, points and ECDH on every curve are @noble/curves' (Electron's BoringSSL has no secp256k1 or SM2, and node:crypto signs no bare digest). */
function curveOf(curve: Curve): { readonly ecdh: ECDH; readonly oid: string; readonly randomScalar: () => Uint8Array; readonly isValidScalar: (scalar: Uint8Array) => boolean } {
  if (curve === 'SM2') return { ecdh: sm2Curve, oid: SM2_OID, randomScalar: randomSm2Scalar, isValidScalar: isValidSm2Scalar };
  const { ecdsa, oid } = ECDSA_CURVES[curve];
  return { ecdh: ecdsa, oid, randomScalar: () => ecdsa.utils.randomSecretKey(), isValidScalar: (scalar) => ecdsa.utils.isValidSecretKey(scalar) };
}

function algorithm(curve: Curve): Algorithm {
  return { oid: id_ecPublicKey, parameters: new Uint8Array(AsnConvert.serialize(new ECParameters({ namedCurve: curveOf(curve).oid }))) };
}

/** The DER ECParameters (the named curve's OID) of `curve`, as a key's AlgorithmIdentifier and PKCS#11's CKA_EC_PARAMS give it. */
export function ecParameters(curve: Curve): Buffer {
  return Buffer.from(algorithm(curve).parameters ?? []);
}

/** The DER SubjectPublicKeyInfo of an uncompressed `point` on `curve`. */
export function ecSpki(curve: Curve, point: Uint8Array): Buffer {
  return encodeSpki(algorithm(curve), point);
}

/** An ECDSA signature r ‖ s (as PKCS#11 gives it) in DER. */
export function ecdsaDerOfRaw(curve: EcdsaCurve, raw: Uint8Array): Buffer {
  return Buffer.from(ECDSA_CURVES[curve].ecdsa.Signature.fromBytes(raw, 'compact').toBytes('der'));
}

/** A DER ECDSA signature as r ‖ s (as PKCS#11 takes it); undefined when it is not one on `curve`. */
export function ecdsaRawOfDer(curve: EcdsaCurve, der: Uint8Array): Buffer | undefined {
  try {
    return Buffer.from(ECDSA_CURVES[curve].ecdsa.Signature.fromBytes(der, 'der').toBytes('compact'));
  } catch {
    return undefined;
  }
}

/** A fresh private key on `curve`, as PKCS#8 DER (RFC 5915 ECPrivateKey with its public key) in a secret buffer. */
export function generateEcKey(curve: Curve): Buffer {
  const { ecdh, randomScalar } = curveOf(curve);
  const scalar = randomScalar();
  try {
    const scalarCopy = arrayBufferOf(scalar);
    const inner = new Uint8Array(AsnConvert.serialize(new ECPrivateKey({ version: 1, privateKey: new OctetString(scalarCopy), publicKey: arrayBufferOf(ecdh.getPublicKey(scalar, false)) })));
    try {
      return encodePkcs8(algorithm(curve), inner);
    } finally {
      inner.fill(0);
      new Uint8Array(scalarCopy).fill(0);
    }
  } finally {
    scalar.fill(0);
  }
}

/** The private scalar of a PKCS#8 EC key on `curve`; undefined when it is not one. The caller zero-fills it. */
export function ecScalar(curve: Curve, pkcs8: Uint8Array): Uint8Array | undefined {
  const info = decodePkcs8(pkcs8);
  if (info?.algorithm.oid !== id_ecPublicKey || !sameBytes(info.algorithm.parameters, algorithm(curve).parameters)) return undefined;
  try {
    const key = AsnConvert.parse(info.privateKey, ECPrivateKey);
    const scalar = new Uint8Array(key.privateKey.buffer);
    return curveOf(curve).isValidScalar(scalar) ? scalar : undefined;
  } catch {
    return undefined;
  } finally {
    info.privateKey.fill(0);
  }
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

/** The public point (uncompressed) of a private scalar on `curve`. */
export function ecPublicPoint(curve: Curve, scalar: Uint8Array): Uint8Array {
  return curveOf(curve).ecdh.getPublicKey(scalar, false);
}

/** The DER SubjectPublicKeyInfo (uncompressed point) of a private scalar on `curve`. */
export function ecPublicKey(curve: Curve, scalar: Uint8Array): Buffer {
  return ecSpki(curve, ecPublicPoint(curve, scalar));
}

/** The point of a DER SubjectPublicKeyInfo on `curve`, checked to be on it; undefined otherwise. */
export function ecPoint(curve: Curve, spki: Uint8Array): Uint8Array | undefined {
  const decoded = decodeSpki(spki);
  if (decoded?.algorithm.oid !== id_ecPublicKey || !sameBytes(decoded.algorithm.parameters, algorithm(curve).parameters)) return undefined;
  try {
    curveOf(curve).ecdh.Point.fromBytes(decoded.publicKey).assertValidity();
    return decoded.publicKey;
  } catch {
    return undefined;
  }
}

/** A point on `curve` in compressed or uncompressed SEC 1 form; undefined for bytes that are no point on it. */
export function ecPointForm(curve: EcdsaCurve, point: Uint8Array, compressed: boolean): Uint8Array | undefined {
  try {
    return ECDSA_CURVES[curve].ecdsa.Point.fromBytes(point).toBytes(compressed);
  } catch {
    return undefined;
  }
}

/** An ECDSA signature of `digest`, DER-encoded as AWS KMS returns them. */
export function ecdsaSign(curve: EcdsaCurve, scalar: Uint8Array, digest: Uint8Array): Buffer {
  return Buffer.from(ECDSA_CURVES[curve].ecdsa.sign(digest, scalar, { prehash: false, lowS: false, format: 'der' }));
}

/** Whether `signature` (DER) is an ECDSA signature of `digest` by the key of `point` (high-S signatures included, as other ECDSA verifiers take them). */
export function ecdsaVerify(curve: EcdsaCurve, point: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  try {
    return ECDSA_CURVES[curve].ecdsa.verify(signature, digest, point, { prehash: false, lowS: false, format: 'der' });
  } catch {
    return false;
  }
}

/** The ECDH shared secret (the x coordinate, as AWS KMS returns it) of a private scalar and a peer's point on `curve`, in a buffer the caller zero-fills. */
export function ecdh(curve: Curve, scalar: Uint8Array, peerPoint: Uint8Array): Buffer {
  const shared = curveOf(curve).ecdh.getSharedSecret(scalar, peerPoint, true);
  try {
    return copyToSecret(shared.subarray(1));
  } finally {
    shared.fill(0);
  }
}
