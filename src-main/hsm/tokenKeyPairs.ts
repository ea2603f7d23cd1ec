import * as pkcs11js from 'pkcs11js';
import { KmsError } from '../../src-shared/errors';
import { copyToSecret, secretBuffer } from '../crypto/secret';
import { tokenErrorCode } from './errors';
import { hasMechanism } from './rootOfTrust/probe';
import { oaepMechanism, type OaepHash } from './rootOfTrust/rsaKeyPair';
import type { TokenSession } from './token';

/**
 * Key pairs and HMAC keys generated on a token, and the operations the token
 * does with them. Private and secret keys are token objects, private,
 * sensitive and never extractable; each is found again by its CKA_ID.
 */

/** What to generate: an RSA pair of `bits`, an EC pair on the curve of `params` (DER ECParameters), or a generic secret of `bytes` for HMAC. */
export type TokenKeyKind = { readonly kind: 'rsa'; readonly bits: number } | { readonly kind: 'ec'; readonly params: Buffer } | { readonly kind: 'hmac'; readonly bytes: number };

/** What a key is for on the token: signing (and verifying), decryption (RSA-OAEP), or ECDH derivation. */
export type TokenKeyUse = 'sign' | 'decrypt' | 'derive';

/** A mechanism a token must offer, with the flags, and the name PKCS#11 gives it. */
export interface Need {
  readonly mechanism: number;
  readonly flags: number;
  readonly name: string;
}

/** The names of the `needs` the token of `session` does not offer. */
export function missingMechanisms(session: TokenSession, needs: readonly Need[]): string[] {
  return needs.filter((need) => !hasMechanism(session, need.mechanism, need.flags)).map((need) => need.name);
}

function privateTemplate(objectId: Buffer, label: string, use: TokenKeyUse): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_ID, value: objectId },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: use === 'sign' ? pkcs11js.CKA_SIGN : use === 'decrypt' ? pkcs11js.CKA_DECRYPT : pkcs11js.CKA_DERIVE, value: true },
  ];
}

/** Generates a key of `kind` for `use` on the token, found again by `objectId`. */
export function generateOnToken(session: TokenSession, objectId: Buffer, label: string, kind: TokenKeyKind, use: TokenKeyUse): void {
  if (kind.kind === 'hmac') {
    session.call('generating an HMAC key on the token', (lib, handle) =>
      lib.C_GenerateKey(handle, { mechanism: pkcs11js.CKM_GENERIC_SECRET_KEY_GEN }, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_GENERIC_SECRET },
        { type: pkcs11js.CKA_VALUE_LEN, value: kind.bytes },
        ...privateTemplate(objectId, label, 'sign'),
        { type: pkcs11js.CKA_VERIFY, value: true },
      ]),
    );
    return;
  }
  const publicTemplate: pkcs11js.Template = [
    { type: pkcs11js.CKA_ID, value: objectId },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_TOKEN, value: true },
    ...(use === 'sign' ? [{ type: pkcs11js.CKA_VERIFY, value: true }] : use === 'decrypt' ? [{ type: pkcs11js.CKA_ENCRYPT, value: true }] : []),
    ...(kind.kind === 'rsa'
      ? [
          { type: pkcs11js.CKA_MODULUS_BITS, value: kind.bits },
          { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
        ]
      : [{ type: pkcs11js.CKA_EC_PARAMS, value: kind.params }]),
  ];
  session.call('generating a key pair on the token', (lib, handle) =>
    lib.C_GenerateKeyPair(handle, { mechanism: kind.kind === 'rsa' ? pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN : pkcs11js.CKM_EC_KEY_PAIR_GEN }, publicTemplate, privateTemplate(objectId, label, use)),
  );
}

/** The handle of the object of `objectClass` with `objectId`; KMSInternalException when it is not on the token (deleted outside Strongroom). */
function handleOf(session: TokenSession, objectClass: number, objectId: Buffer): pkcs11js.Handle {
  const [found] = session.findObjects([{ type: pkcs11js.CKA_CLASS, value: objectClass }, { type: pkcs11js.CKA_ID, value: objectId }], 'finding a key on the token');
  if (found === undefined) throw new KmsError('KMSInternalException', `The key object ${objectId.toString('hex')} is not on the token "${session.token.label}": it was deleted outside Strongroom.`);
  return found;
}

/** The signing object of a key: the private key of a pair, or the secret key itself. */
const signingClass = (secret: boolean): number => (secret ? pkcs11js.CKO_SECRET_KEY : pkcs11js.CKO_PRIVATE_KEY);
/** The verifying object of a key: the public key of a pair, or the secret key itself. */
const verifyingClass = (secret: boolean): number => (secret ? pkcs11js.CKO_SECRET_KEY : pkcs11js.CKO_PUBLIC_KEY);

/** What the token answers for a signature that does not verify. */
const BAD_SIGNATURE: ReadonlySet<number> = new Set([pkcs11js.CKR_SIGNATURE_INVALID, pkcs11js.CKR_SIGNATURE_LEN_RANGE]);

/** C_Sign of `data` with `mechanism` by the key `objectId` (a secret key when `secret`). */
export function signWithTokenKey(session: TokenSession, objectId: Buffer, secret: boolean, mechanism: pkcs11js.Mechanism, data: Buffer): Buffer {
  const key = handleOf(session, signingClass(secret), objectId);
  return session.call('signing on the token', (lib, handle) => {
    lib.C_SignInit(handle, mechanism, key);
    return Buffer.from(lib.C_Sign(handle, data, Buffer.alloc(1024)));
  });
}

/** C_Verify of `signature` over `data` with `mechanism` by the key `objectId`: false when the token finds it bad. */
export function verifyWithTokenKey(session: TokenSession, objectId: Buffer, secret: boolean, mechanism: pkcs11js.Mechanism, data: Buffer, signature: Buffer): boolean {
  const key = handleOf(session, verifyingClass(secret), objectId);
  return session.call('verifying on the token', (lib, handle) => {
    lib.C_VerifyInit(handle, mechanism, key);
    try {
      return lib.C_Verify(handle, data, signature);
    } catch (error) {
      if (BAD_SIGNATURE.has(tokenErrorCode(error) ?? -1)) return false;
      throw error;
    }
  });
}

/** What the token answers for a ciphertext that does not decrypt. */
const BAD_CIPHERTEXT: ReadonlySet<number> = new Set([pkcs11js.CKR_ENCRYPTED_DATA_INVALID, pkcs11js.CKR_ENCRYPTED_DATA_LEN_RANGE, pkcs11js.CKR_GENERAL_ERROR]);

/** RSAES-OAEP decryption with `hash` by the private key `objectId`, into a secret buffer the caller zero-fills; undefined when the ciphertext does not decrypt. */
export function oaepDecryptWithTokenKey(session: TokenSession, objectId: Buffer, hash: OaepHash, ciphertext: Buffer): Buffer | undefined {
  const key = handleOf(session, pkcs11js.CKO_PRIVATE_KEY, objectId);
  const out = secretBuffer(ciphertext.length);
  try {
    const plain = session.call('decrypting on the token', (lib, handle) => {
      lib.C_DecryptInit(handle, oaepMechanism(hash), key);
      try {
        return lib.C_Decrypt(handle, ciphertext, out);
      } catch (error) {
        if (BAD_CIPHERTEXT.has(tokenErrorCode(error) ?? -1)) return undefined;
        throw error;
      }
    });
    return plain === undefined ? undefined : copyToSecret(plain);
  } finally {
    out.fill(0);
  }
}

/** The public key of the pair `objectId`: RSA's modulus and exponent, or the EC point (CKA_EC_POINT, as the token gives it). */
export function publicKeyOnToken(session: TokenSession, objectId: Buffer, kind: 'rsa' | 'ec'): { modulus: Buffer; exponent: Buffer } | { ecPoint: Buffer } {
  const key = handleOf(session, pkcs11js.CKO_PUBLIC_KEY, objectId);
  const attributes = kind === 'rsa' ? [{ type: pkcs11js.CKA_MODULUS }, { type: pkcs11js.CKA_PUBLIC_EXPONENT }] : [{ type: pkcs11js.CKA_EC_POINT }];
  const [first, second] = session.call('reading a public key on the token', (lib, handle) => lib.C_GetAttributeValue(handle, key, attributes).map((a) => Buffer.from(a.value)));
  return kind === 'rsa' ? { modulus: first ?? Buffer.alloc(0), exponent: second ?? Buffer.alloc(0) } : { ecPoint: first ?? Buffer.alloc(0) };
}

/**
 * The ECDH shared secret (the x coordinate, `bytes` long) of the EC key
 * `objectId` and a peer's uncompressed point, derived on the token
 * (CKM_ECDH1_DERIVE, no KDF) into a session object that is read and
 * destroyed at once; a buffer the caller zero-fills.
 */
export function ecdhOnToken(session: TokenSession, objectId: Buffer, peerPoint: Buffer, bytes: number): Buffer {
  const key = handleOf(session, pkcs11js.CKO_PRIVATE_KEY, objectId);
  const parameter: pkcs11js.ECDH1 = { type: pkcs11js.CK_PARAMS_EC_DH, kdf: pkcs11js.CKD_NULL, publicData: peerPoint };
  return session.call('deriving a shared secret on the token', (lib, handle) => {
    const derived = lib.C_DeriveKey(handle, { mechanism: pkcs11js.CKM_ECDH1_DERIVE, parameter }, key, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_GENERIC_SECRET },
      { type: pkcs11js.CKA_VALUE_LEN, value: bytes },
      { type: pkcs11js.CKA_TOKEN, value: false },
      { type: pkcs11js.CKA_SENSITIVE, value: false },
      { type: pkcs11js.CKA_EXTRACTABLE, value: true },
    ]);
    try {
      const [value] = lib.C_GetAttributeValue(handle, derived, [{ type: pkcs11js.CKA_VALUE }]);
      const secret = value?.value ?? Buffer.alloc(0);
      try {
        return copyToSecret(secret);
      } finally {
        secret.fill(0);
      }
    } finally {
      lib.C_DestroyObject(handle, derived);
    }
  });
}
