import { aeskwp } from '@noble/ciphers/aes.js';
import type { KeyObject } from 'node:crypto';
import { randomFill } from '../random';
import { copyToSecret, secretBuffer } from '../secret';
import { oaepDecrypt, oaepEncrypt, type RsaHash } from './rsa';

const AES_KEY_BYTES = 32;

/**
 * Opens key material wrapped as AWS KMS's RSA_AES_KEY_WRAP_SHA_* asks
 * (PKCS#11's CKM_RSA_AES_KEY_WRAP): an ephemeral 256-bit AES key under
 * RSAES-OAEP, then the material under that key with AES key wrap with
 * padding (RFC 5649). Returns the material in a secret buffer the caller
 * zero-fills, or undefined when the blob does not open. AES-KWP is
 * @noble/ciphers' (Electron's BoringSSL has none).
 */
export function unwrapRsaAesKeyWrap(privateKey: KeyObject, modulusBytes: number, hash: RsaHash, blob: Buffer): Buffer | undefined {
  if (blob.length <= modulusBytes) return undefined;
  const aesKey = oaepDecrypt(privateKey, hash, blob.subarray(0, modulusBytes));
  if (aesKey?.length !== AES_KEY_BYTES) {
    aesKey?.fill(0);
    return undefined;
  }
  try {
    const material = aeskwp(aesKey).decrypt(blob.subarray(modulusBytes));
    try {
      return copyToSecret(material);
    } finally {
      material.fill(0);
    }
  } catch {
    return undefined;
  } finally {
    aesKey.fill(0);
  }
}

/**
 * Wraps key material as RSA_AES_KEY_WRAP_SHA_* (the other half of
 * {@link unwrapRsaAesKeyWrap}): a fresh 256-bit AES key under RSAES-OAEP
 * with `hash`, then the material under it with AES key wrap with padding.
 */
export function wrapRsaAesKeyWrap(publicKey: KeyObject, hash: RsaHash, material: Buffer): Buffer {
  const aesKey = randomFill(secretBuffer(AES_KEY_BYTES));
  try {
    return Buffer.concat([oaepEncrypt(publicKey, hash, aesKey), aeskwp(aesKey).encrypt(material)]);
  } finally {
    aesKey.fill(0);
  }
}
