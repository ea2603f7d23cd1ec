import { constants, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt, privateEncrypt, publicDecrypt, publicEncrypt, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { copyToSecret } from '../secret';

/** The hash functions of AWS KMS's RSA algorithms. */
export type RsaHash = 'sha1' | 'sha256' | 'sha384' | 'sha512';
/** An RSA signature scheme: RSASSA-PSS (MGF1 with the same hash, salt as long as the digest, as AWS KMS uses) or RSASSA-PKCS1-v1_5. */
export type RsaPadding = 'pss' | 'pkcs1';

const HASH_BYTES: Readonly<Record<RsaHash, number>> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** The DER prefix of PKCS#1 v1.5's DigestInfo for each hash (RFC 8017, section 9.2, note 1). */
const DIGEST_INFO: Readonly<Record<Exclude<RsaHash, 'sha1'>, Buffer>> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

/** The length of a digest of `hash`, in bytes. */
export function hashBytes(hash: RsaHash): number {
  return HASH_BYTES[hash];
}

/** PKCS#1 v1.5's DigestInfo of `digest` (what a token's raw CKM_RSA_PKCS signs). */
export function digestInfo(hash: Exclude<RsaHash, 'sha1'>, digest: Buffer): Buffer {
  return Buffer.concat([DIGEST_INFO[hash], digest]);
}

/** The DER SubjectPublicKeyInfo of the RSA key of `modulus` and `exponent` (big-endian, as PKCS#11 gives them). */
export function rsaSpkiOf(modulus: Buffer, exponent: Buffer): Buffer {
  return createPublicKey({ key: { kty: 'RSA', n: modulus.toString('base64url'), e: exponent.toString('base64url') }, format: 'jwk' }).export({ type: 'spki', format: 'der' });
}

/** A fresh RSA private key of `bits` (exponent 65537) as PKCS#8 DER in a secret buffer. */
export function generateRsaKey(bits: number): Buffer {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  try {
    return copyToSecret(der);
  } finally {
    der.fill(0);
  }
}

/** The key of a PKCS#8 RSA private key of `bits`; undefined when it is not one. (OpenSSL clears its copy of the key when the object is collected.) */
export function rsaPrivateKey(pkcs8: Buffer, bits: number): KeyObject | undefined {
  try {
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    return key.asymmetricKeyType === 'rsa' && key.asymmetricKeyDetails?.modulusLength === bits ? key : undefined;
  } catch {
    return undefined;
  }
}

/** The DER SubjectPublicKeyInfo of an RSA key. */
export function rsaSpki(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

/** The RSA public key of a DER SubjectPublicKeyInfo of `bits`; undefined when it is not one. */
export function rsaPublicKey(spki: Buffer, bits: number): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'rsa' && key.asymmetricKeyDetails?.modulusLength === bits ? key : undefined;
  } catch {
    return undefined;
  }
}

/** MGF1 (RFC 8017, B.2.1) of `seed`, `length` bytes long. */
function mgf1(hash: RsaHash, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * HASH_BYTES[hash] < length; counter += 1) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** H = Hash(0x00 × 8 ‖ mHash ‖ salt), the hash EMSA-PSS signs. */
function pssHash(hash: RsaHash, digest: Buffer, salt: Buffer): Buffer {
  return createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
}

/** EMSA-PSS-ENCODE (RFC 8017, 9.1.1) of a digest, for a modulus of `bits` (a multiple of 8), salt as long as the digest. */
function pssEncode(hash: RsaHash, digest: Buffer, bits: number): Buffer {
  const hLen = HASH_BYTES[hash];
  const emLen = bits / 8;
  const salt = randomBytes(hLen);
  const h = pssHash(hash, digest, salt);
  const db = Buffer.alloc(emLen - hLen - 1);
  db[emLen - 2 * hLen - 2] = 0x01;
  salt.copy(db, emLen - 2 * hLen - 1);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i += 1) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & 0x7f; // emBits = bits - 1
  return Buffer.concat([db, h, Uint8Array.of(0xbc)]);
}

/** EMSA-PSS-VERIFY (RFC 8017, 9.1.2) of an encoded message against a digest, for a modulus of `bits`, salt as long as the digest. */
function pssVerify(hash: RsaHash, digest: Buffer, em: Buffer, bits: number): boolean {
  const hLen = HASH_BYTES[hash];
  const emLen = bits / 8;
  if (em.length !== emLen || em[emLen - 1] !== 0xbc || ((em[0] ?? 0) & 0x80) !== 0) return false;
  const db = Buffer.from(em.subarray(0, emLen - hLen - 1));
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i += 1) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & 0x7f;
  const separator = emLen - 2 * hLen - 2;
  if (!db.subarray(0, separator).every((byte) => byte === 0) || db[separator] !== 0x01) return false;
  return timingSafeEqual(h, pssHash(hash, digest, db.subarray(separator + 1)));
}

/** What is signed: a message (hashed here) or its digest. */
export type SignedInput = { readonly message: Buffer } | { readonly digest: Buffer };

function padding(scheme: RsaPadding): number {
  return scheme === 'pss' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
}

/** An RSASSA signature of a message or of its digest. */
export function rsaSign(key: KeyObject, bits: number, scheme: RsaPadding, hash: Exclude<RsaHash, 'sha1'>, input: SignedInput): Buffer {
  if ('message' in input) return sign(hash, input.message, { key, padding: padding(scheme), saltLength: HASH_BYTES[hash] });
  if (scheme === 'pkcs1') return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(hash, input.digest));
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, pssEncode(hash, input.digest, bits));
}

/** Whether `signature` is an RSASSA signature of the message or digest by `key`. */
export function rsaVerify(key: KeyObject, bits: number, scheme: RsaPadding, hash: Exclude<RsaHash, 'sha1'>, input: SignedInput, signature: Buffer): boolean {
  if (signature.length !== bits / 8) return false;
  try {
    if ('message' in input) return verify(hash, input.message, { key, padding: padding(scheme), saltLength: HASH_BYTES[hash] }, signature);
    if (scheme === 'pss') return pssVerify(hash, input.digest, publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature), bits);
    const expected = digestInfo(hash, input.digest);
    const recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    return recovered.length === expected.length && timingSafeEqual(recovered, expected);
  } catch {
    return false;
  }
}

/** The longest plaintext RSAES-OAEP takes with a modulus of `bits` and `hash`. */
export function oaepMaxPlaintext(bits: number, hash: RsaHash): number {
  return bits / 8 - 2 * HASH_BYTES[hash] - 2;
}

/** RSAES-OAEP encryption (MGF1 with the same hash, no label), as AWS KMS's RSAES_OAEP_SHA_1 and RSAES_OAEP_SHA_256. */
export function oaepEncrypt(key: KeyObject, hash: RsaHash, plaintext: Buffer): Buffer {
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, plaintext);
}

/** RSAES-OAEP decryption into a secret buffer the caller zero-fills; undefined when the ciphertext does not decrypt. */
export function oaepDecrypt(key: KeyObject, hash: RsaHash, ciphertext: Buffer): Buffer | undefined {
  try {
    const plaintext = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, ciphertext);
    try {
      return copyToSecret(plaintext);
    } finally {
      plaintext.fill(0);
    }
  } catch {
    return undefined;
  }
}
