import { createCipheriv, createDecipheriv } from 'node:crypto';
import { randomFill } from './random';

export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

function gcmName(key: Buffer): 'aes-128-gcm' | 'aes-256-gcm' {
  return key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm';
}

/** Writes `ciphertext ‖ tag` of `plaintext` under `key` and `iv`, with `aad` bound in, into `out` at `offset`. */
export function gcmSealInto(key: Buffer, iv: Buffer, plaintext: Buffer, aad: Buffer, out: Buffer, offset: number): void {
  const cipher = createCipheriv(gcmName(key), key, iv);
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  cipher.final();
  body.copy(out, offset);
  cipher.getAuthTag().copy(out, offset + body.length);
  body.fill(0);
}

/** Opens `ciphertext ‖ tag` under `key` and `iv`; the plaintext in a buffer of its own, or undefined when the tag does not verify. */
export function gcmOpen(key: Buffer, iv: Buffer, sealed: Buffer, aad: Buffer): Buffer | undefined {
  if (sealed.length < GCM_TAG_BYTES) return undefined;
  const decipher = createDecipheriv(gcmName(key), key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_BYTES));
  const plain = decipher.update(sealed.subarray(0, sealed.length - GCM_TAG_BYTES));
  try {
    decipher.final();
  } catch {
    plain.fill(0);
    return undefined;
  }
  return plain;
}

/**
 * AES-GCM (the key's length picks AES-128 or AES-256) with a fresh random
 * 96-bit IV. Writes `IV ‖ ciphertext ‖ tag` into `out` at `offset` and
 * returns the number of bytes written (plaintext length + 28).
 */
export function sealInto(key: Buffer, plaintext: Buffer, aad: Buffer, out: Buffer, offset: number): number {
  const iv = randomFill(out.subarray(offset, offset + GCM_IV_BYTES));
  gcmSealInto(key, iv, plaintext, aad, out, offset + GCM_IV_BYTES);
  return GCM_IV_BYTES + plaintext.length + GCM_TAG_BYTES;
}

/** `IV ‖ ciphertext ‖ tag` of `plaintext` under `key` with `aad` bound in. */
export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const out = Buffer.alloc(GCM_IV_BYTES + plaintext.length + GCM_TAG_BYTES);
  sealInto(key, plaintext, aad, out, 0);
  return out;
}

/**
 * Opens `IV ‖ ciphertext ‖ tag`; returns the plaintext in a buffer of its
 * own (the caller zeroizes it when it holds a secret), or undefined when the
 * tag does not verify.
 */
export function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer | undefined {
  if (sealed.length < GCM_IV_BYTES + GCM_TAG_BYTES) return undefined;
  return gcmOpen(key, sealed.subarray(0, GCM_IV_BYTES), sealed.subarray(GCM_IV_BYTES), aad);
}
