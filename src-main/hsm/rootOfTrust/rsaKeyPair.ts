import { constants, createPublicKey, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { KmsError } from '../../../src-shared/errors';
import { secretBuffer } from '../../crypto/secret';
import type { TokenSession } from '../token';
import { maxKeySize, requireMechanism } from './probe';

export type OaepHash = 'sha256' | 'sha1';

const OAEP_PARAMS: Record<OaepHash, { hashAlg: number; mgf: number }> = {
  sha256: { hashAlg: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256 },
  sha1: { hashAlg: pkcs11js.CKM_SHA_1, mgf: pkcs11js.CKG_MGF1_SHA1 },
};

/** CKM_RSA_PKCS_OAEP with `hash` and MGF1 on it, no label. */
export function oaepMechanism(hash: OaepHash): pkcs11js.Mechanism {
  const { hashAlg, mgf } = OAEP_PARAMS[hash];
  const parameter: pkcs11js.RsaOAEP = { type: pkcs11js.CK_PARAMS_RSA_OAEP, hashAlg, mgf, source: 1 };
  return { mechanism: pkcs11js.CKM_RSA_PKCS_OAEP, parameter };
}

function encryptTo(publicKey: KeyObject, hash: OaepHash, data: Buffer): Buffer {
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, data);
}

/** Decrypts `ciphertext` with the private key on the token; the result is a fresh buffer the caller zeroizes. */
function decryptOnToken(session: TokenSession, privateKey: pkcs11js.Handle, hash: OaepHash, ciphertext: Buffer): Buffer {
  const out = secretBuffer(ciphertext.length);
  try {
    const plain = session.call('decrypting the vault root key', (lib, handle) => {
      lib.C_DecryptInit(handle, oaepMechanism(hash), privateKey);
      return lib.C_Decrypt(handle, ciphertext, out);
    });
    const copy = secretBuffer(plain.length);
    plain.copy(copy);
    return copy;
  } finally {
    out.fill(0);
  }
}

/**
 * The OAEP hash this token decrypts with: SHA-256 where it works, SHA-1
 * otherwise. C_GetMechanismInfo cannot say which hashes OAEP takes, so a
 * random probe is encrypted to the public key and decrypted on the token.
 */
function probeOaepHash(session: TokenSession, publicKey: KeyObject, privateKey: pkcs11js.Handle): OaepHash {
  for (const hash of ['sha256', 'sha1'] as const) {
    const probe = randomBytes(32);
    try {
      const back = decryptOnToken(session, privateKey, hash, encryptTo(publicKey, hash, probe));
      if (back.equals(probe)) return hash;
    } catch (error) {
      if (!(error instanceof KmsError)) throw error;
    }
  }
  throw new KmsError('MechanismNotSupportedException', `The token "${session.token.label}" decrypts RSA-OAEP with neither SHA-256 nor SHA-1.`);
}

/**
 * Generates an RSA key pair on the token (the private half sensitive and
 * never extractable), identified by `objectId`, and encrypts the root key to
 * its public half with OAEP, using SHA-256 where the token supports it and
 * SHA-1 otherwise.
 */
export function createRsaKeyPair(session: TokenSession, objectId: Buffer, label: string, rootKey: Buffer): { hash: OaepHash; wrapped: Buffer } {
  const hint = 'Use --root-of-trust aes with this token.';
  requireMechanism(session, pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN, pkcs11js.CKF_GENERATE_KEY_PAIR, 'RSA key pair generation', hint);
  requireMechanism(session, pkcs11js.CKM_RSA_PKCS_OAEP, pkcs11js.CKF_DECRYPT, 'RSA-OAEP decryption', hint);
  const bits = (maxKeySize(session, pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN) ?? 2048) >= 3072 ? 3072 : 2048;
  const pair = session.call('creating the RSA root-of-trust key pair', (lib, handle) =>
    lib.C_GenerateKeyPair(
      handle,
      { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
      [
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_MODULUS_BITS, value: bits },
        { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
        { type: pkcs11js.CKA_ENCRYPT, value: true },
        { type: pkcs11js.CKA_ID, value: objectId },
        { type: pkcs11js.CKA_LABEL, value: label },
      ],
      [
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_PRIVATE, value: true },
        { type: pkcs11js.CKA_SENSITIVE, value: true },
        { type: pkcs11js.CKA_EXTRACTABLE, value: false },
        { type: pkcs11js.CKA_DECRYPT, value: true },
        { type: pkcs11js.CKA_ID, value: objectId },
        { type: pkcs11js.CKA_LABEL, value: label },
      ],
    ),
  );
  const [modulus, exponent] = session.call('reading the RSA public key', (lib, handle) =>
    lib.C_GetAttributeValue(handle, pair.publicKey, [{ type: pkcs11js.CKA_MODULUS }, { type: pkcs11js.CKA_PUBLIC_EXPONENT }]).map((a) => a.value),
  );
  if (modulus === undefined || exponent === undefined) throw new KmsError('KMSInternalException', 'The token returned no RSA public key.');
  const publicKey = createPublicKey({ key: { kty: 'RSA', n: modulus.toString('base64url'), e: exponent.toString('base64url') }, format: 'jwk' });
  const hash = probeOaepHash(session, publicKey, pair.privateKey);
  return { hash, wrapped: encryptTo(publicKey, hash, rootKey) };
}

/** Decrypts the root key with the private key on the token. */
export function unwrapWithRsaKey(session: TokenSession, privateKey: pkcs11js.Handle, hash: OaepHash, wrapped: Buffer): Buffer {
  try {
    return decryptOnToken(session, privateKey, hash, wrapped);
  } catch (error) {
    if (error instanceof KmsError && error.type === 'KMSInternalException') {
      throw new KmsError('VaultCorruptException', 'The wrapped vault root key does not decrypt with this token\'s private key: the vault file and the token do not belong together.');
    }
    throw error;
  }
}
