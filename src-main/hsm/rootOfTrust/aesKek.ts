import * as pkcs11js from 'pkcs11js';
import { randomBytes } from 'node:crypto';
import { KmsError } from '../../../src-shared/errors';
import { secretBuffer } from '../../crypto/secret';
import type { TokenSession } from '../token';
import { gcm, generateAesKeyOnToken } from '../tokenKeys';
import { requireMechanism } from './probe';

const IV_BYTES = 12;

/** Checks that the token can generate AES keys and encrypt and decrypt with AES-GCM. */
export function probeAesKek(session: TokenSession): void {
  const hint = 'Use --root-of-trust rsa with this token.';
  requireMechanism(session, pkcs11js.CKM_AES_KEY_GEN, pkcs11js.CKF_GENERATE, 'AES key generation', hint);
  requireMechanism(session, pkcs11js.CKM_AES_GCM, pkcs11js.CKF_ENCRYPT | pkcs11js.CKF_DECRYPT, 'AES-GCM', hint);
}

/**
 * Generates a 256-bit KEK on the token (never extractable, sensitive,
 * private), labelled and identified by `objectId`, and returns the root key
 * encrypted under it: IV (12 bytes) ‖ ciphertext ‖ tag (16 bytes), with `aad`
 * bound in.
 */
export function createAesKek(session: TokenSession, objectId: Buffer, label: string, rootKey: Buffer, aad: Buffer): Buffer {
  probeAesKek(session);
  const kek = generateAesKeyOnToken(session, objectId, label);
  return session.call('creating the AES key-encryption key', (lib, handle) => {
    const iv = randomBytes(IV_BYTES);
    lib.C_EncryptInit(handle, gcm(iv, aad), kek);
    const sealed = lib.C_Encrypt(handle, rootKey, Buffer.alloc(rootKey.length + 16));
    return Buffer.concat([iv, sealed]);
  });
}

/** Decrypts the root key on the token with the KEK found by `objectId`; InvalidCiphertextException if it does not open. */
export function unwrapWithAesKek(session: TokenSession, kek: pkcs11js.Handle, wrapped: Buffer, aad: Buffer): Buffer {
  const iv = wrapped.subarray(0, IV_BYTES);
  const sealed = wrapped.subarray(IV_BYTES);
  const out = secretBuffer(sealed.length);
  try {
    const plain = session.call('decrypting the vault root key', (lib, handle) => {
      lib.C_DecryptInit(handle, gcm(iv, aad), kek);
      return lib.C_Decrypt(handle, sealed, out);
    });
    const rootKey = secretBuffer(plain.length);
    plain.copy(rootKey);
    return rootKey;
  } catch (error) {
    if (error instanceof KmsError && error.type === 'KMSInternalException') {
      throw new KmsError('VaultCorruptException', 'The wrapped vault root key does not decrypt under this token\'s key-encryption key: the vault file and the token do not belong together.');
    }
    throw error;
  } finally {
    out.fill(0);
  }
}
