import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { PrivateKey, PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { copyToSecret } from '../secret';

/**
 * DER encodings of keys as AWS KMS exchanges them: a public key as an X.509
 * SubjectPublicKeyInfo (GetPublicKey, DeriveSharedSecret, data key pairs),
 * a private key as PKCS#8 PrivateKeyInfo (data key pairs, imported material,
 * and the form in which the vault stores private keys, wrapped).
 */

/** An algorithm identifier: its OID, and its parameters (DER) when it has any. */
export interface Algorithm {
  readonly oid: string;
  readonly parameters?: Uint8Array;
}

function algorithmIdentifier({ oid, parameters }: Algorithm): AlgorithmIdentifier {
  return new AlgorithmIdentifier({ algorithm: oid, ...(parameters === undefined ? {} : { parameters: arrayBufferOf(parameters) }) });
}

/**
 * A copy of `bytes` in an ArrayBuffer of its own, as the encoder takes them.
 * (`.buffer` of a Node Buffer is often Node's shared pool, and its `slice` is
 * a view: either would hand the encoder other memory.)
 */
export function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy.buffer;
}

/** The DER SubjectPublicKeyInfo of `publicKey` (a point, a key's bytes) under `algorithm`. */
export function encodeSpki(algorithm: Algorithm, publicKey: Uint8Array): Buffer {
  return Buffer.from(AsnConvert.serialize(new SubjectPublicKeyInfo({ algorithm: algorithmIdentifier(algorithm), subjectPublicKey: arrayBufferOf(publicKey) })));
}

/** The algorithm and key bytes of a DER SubjectPublicKeyInfo; undefined when it is not one. */
export function decodeSpki(der: Uint8Array): { algorithm: Algorithm; publicKey: Uint8Array } | undefined {
  try {
    const spki = AsnConvert.parse(der, SubjectPublicKeyInfo);
    if (!Buffer.from(AsnConvert.serialize(spki)).equals(Buffer.from(der))) return undefined; // trailing bytes, or not DER
    return { algorithm: algorithmOf(spki.algorithm), publicKey: new Uint8Array(spki.subjectPublicKey) };
  } catch {
    return undefined;
  }
}

function algorithmOf(identifier: AlgorithmIdentifier): Algorithm {
  return { oid: identifier.algorithm, ...(identifier.parameters == null ? {} : { parameters: new Uint8Array(identifier.parameters) }) };
}

/**
 * The DER PKCS#8 PrivateKeyInfo of `privateKey` (the algorithm's own
 * private-key encoding) under `algorithm`, in a secret buffer the caller
 * owns; the encoder's working copy is zero-filled.
 */
export function encodePkcs8(algorithm: Algorithm, privateKey: Uint8Array): Buffer {
  const copy = arrayBufferOf(privateKey);
  const encoded = new Uint8Array(AsnConvert.serialize(new PrivateKeyInfo({ privateKeyAlgorithm: algorithmIdentifier(algorithm), privateKey: new PrivateKey(copy) })));
  try {
    return copyToSecret(encoded);
  } finally {
    encoded.fill(0);
    new Uint8Array(copy).fill(0);
  }
}

/** The algorithm and private-key bytes of a DER PKCS#8 PrivateKeyInfo; undefined when it is not one. The caller zero-fills the bytes. */
export function decodePkcs8(der: Uint8Array): { algorithm: Algorithm; privateKey: Uint8Array } | undefined {
  try {
    const info = AsnConvert.parse(der, PrivateKeyInfo);
    return { algorithm: algorithmOf(info.privateKeyAlgorithm), privateKey: new Uint8Array(info.privateKey.buffer) };
  } catch {
    return undefined;
  }
}

/** The contents of `der` when it is exactly one DER OCTET STRING holding an uncompressed point (0x04 ‖ x ‖ y); undefined otherwise. */
export function decodeDerOctetString(der: Uint8Array): Uint8Array | undefined {
  try {
    const contents = new Uint8Array(AsnConvert.parse(der, OctetString).buffer);
    const exact = Buffer.from(AsnConvert.serialize(new OctetString(arrayBufferOf(contents)))).equals(Buffer.from(der));
    return exact && contents[0] === 0x04 && contents.length % 2 === 1 ? contents : undefined;
  } catch {
    return undefined;
  }
}
