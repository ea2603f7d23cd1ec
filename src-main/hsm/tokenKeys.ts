import * as pkcs11js from 'pkcs11js';
import { KmsError } from '../../src-shared/errors';
import { secretBuffer } from '../crypto/secret';
import { tokenErrorCode } from './errors';
import { hasMechanism } from './rootOfTrust/probe';
import type { TokenSession } from './token';

const TAG_BYTES = 16;
/** What tokens answer when an AES-GCM tag does not match: the code PKCS#11 names, or (SoftHSM2) a general error. */
const TAG_MISMATCH: ReadonlySet<number> = new Set([pkcs11js.CKR_ENCRYPTED_DATA_INVALID, pkcs11js.CKR_ENCRYPTED_DATA_LEN_RANGE, pkcs11js.CKR_GENERAL_ERROR]);

/** CKM_AES_GCM with `iv`, `aad` and a 128-bit tag. */
export function gcm(iv: Buffer, aad: Buffer): pkcs11js.Mechanism {
  const parameter: pkcs11js.GcmParams = { type: pkcs11js.CK_PARAMS_GCM, iv, aad, ivBits: iv.length * 8, tagBits: TAG_BYTES * 8 };
  return { mechanism: pkcs11js.CKM_AES_GCM, parameter };
}

/** The mechanisms a token needs to hold KMS keys of SYMMETRIC_DEFAULT, by the names PKCS#11 gives them, that it lacks. */
export function missingAesMechanisms(session: TokenSession): string[] {
  const missing: string[] = [];
  if (!hasMechanism(session, pkcs11js.CKM_AES_KEY_GEN, pkcs11js.CKF_GENERATE)) missing.push('CKM_AES_KEY_GEN');
  if (!hasMechanism(session, pkcs11js.CKM_AES_GCM, pkcs11js.CKF_ENCRYPT | pkcs11js.CKF_DECRYPT)) missing.push('CKM_AES_GCM');
  return missing;
}

/**
 * Generates a 256-bit AES key on the token that never leaves it (token
 * object, private, sensitive, not extractable), found again by `objectId`;
 * returns its handle in this session.
 */
export function generateAesKeyOnToken(session: TokenSession, objectId: Buffer, label: string): pkcs11js.Handle {
  return session.call('generating an AES key on the token', (lib, handle) =>
    lib.C_GenerateKey(handle, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
      { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_ENCRYPT, value: true },
      { type: pkcs11js.CKA_DECRYPT, value: true },
      { type: pkcs11js.CKA_ID, value: objectId },
      { type: pkcs11js.CKA_LABEL, value: label },
    ]),
  );
}

/** The handle of the secret key `objectId` on the token; KMSInternalException when it is not there (deleted by another program). */
function keyHandle(session: TokenSession, objectId: Buffer): pkcs11js.Handle {
  const [found] = session.findObjects([{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY }, { type: pkcs11js.CKA_ID, value: objectId }], 'finding a key on the token');
  if (found === undefined) throw new KmsError('KMSInternalException', `The key object ${objectId.toString('hex')} is not on the token "${session.token.label}": it was deleted outside Strongroom.`);
  return found;
}

/** AES-256-GCM encryption on the token with the key `objectId`: ciphertext ‖ 16-byte tag. */
export function gcmSealOnToken(session: TokenSession, objectId: Buffer, iv: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
  const key = keyHandle(session, objectId);
  return session.call('encrypting on the token', (lib, handle) => {
    lib.C_EncryptInit(handle, gcm(iv, aad), key);
    return lib.C_Encrypt(handle, plaintext, Buffer.alloc(plaintext.length + TAG_BYTES));
  });
}

/** AES-256-GCM decryption on the token, into a secret buffer the caller zero-fills; undefined when the tag does not match. */
export function gcmOpenOnToken(session: TokenSession, objectId: Buffer, iv: Buffer, aad: Buffer, sealed: Buffer): Buffer | undefined {
  const key = keyHandle(session, objectId);
  const out = secretBuffer(sealed.length);
  try {
    const plain = session.call('decrypting on the token', (lib, handle) => {
      lib.C_DecryptInit(handle, gcm(iv, aad), key);
      try {
        return lib.C_Decrypt(handle, sealed, out);
      } catch (error) {
        if (TAG_MISMATCH.has(tokenErrorCode(error) ?? -1)) return undefined;
        throw error;
      }
    });
    if (plain === undefined) return undefined;
    const plaintext = secretBuffer(plain.length);
    plain.copy(plaintext);
    return plaintext;
  } finally {
    out.fill(0);
  }
}

/** Destroys the key object `objectId` on the token, if it is there. */
export function destroyKeyOnToken(session: TokenSession, objectId: Buffer): void {
  const found = session.findObjects([{ type: pkcs11js.CKA_ID, value: objectId }], 'finding a key on the token');
  for (const handle of found) session.call('destroying a key on the token', (lib, h) => { lib.C_DestroyObject(h, handle); });
}
