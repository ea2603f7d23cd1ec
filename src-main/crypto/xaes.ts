import { createCipheriv, type Cipher } from 'node:crypto';
import { GCM_TAG_BYTES, gcmOpen, gcmSealInto } from './aesGcm';
import { randomFill } from './random';
import { secretBuffer } from './secret';

export const XAES_NONCE_BYTES = 24;
const HALF = 12;

/**
 * XAES-256-GCM (c2sp.org/XAES-256-GCM): AES-256-GCM under a key derived for
 * each message from the input key and the first half of a random 192-bit
 * nonce (NIST SP 800-108r1 counter KDF with CMAC-AES256), so that one key
 * can encrypt a practically unlimited number of messages with random
 * nonces (2^80 with a collision risk of 2^-32), where AES-GCM with random
 * 96-bit IVs must stop at 2^32. The derivation costs two AES block
 * encryptions with a key schedule made once per key: {@link destroy} it
 * when the key is dropped.
 */
export class XaesKey {
  private readonly block: Cipher;
  private readonly k1 = secretBuffer(16);
  /** The CMAC input of {@link subkey}, one per key (it holds K1 masked only by the nonce), zero-filled after each use. */
  private readonly input = secretBuffer(32);

  constructor(key: Buffer) {
    this.block = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
    const l = this.block.update(Buffer.alloc(16));
    for (let i = 0; i < 16; i++) this.k1[i] = ((l[i] as number) << 1) | ((l[i + 1] ?? 0) >> 7);
    if (((l[0] as number) & 0x80) !== 0) this.k1[15] = (this.k1[15] as number) ^ 0x87;
    l.fill(0);
  }

  /** The AES-256-GCM key of the message whose nonce is `nonce` (its first 12 bytes). The caller zero-fills it. */
  private subkey(nonce: Buffer): Buffer {
    const m = this.input;
    m[1] = 1;
    m[2] = 0x58;
    m[17] = 2;
    m[18] = 0x58;
    nonce.copy(m, 4, 0, HALF);
    nonce.copy(m, 20, 0, HALF);
    for (let i = 0; i < 32; i++) m[i] = (m[i] as number) ^ (this.k1[i & 15] as number);
    try {
      return this.block.update(m);
    } finally {
      m.fill(0);
    }
  }

  /** Writes `nonce ‖ ciphertext ‖ tag` into `out` at `offset`, with a fresh random nonce (or the one given, for test vectors). */
  sealInto(plaintext: Buffer, aad: Buffer, out: Buffer, offset: number, nonce?: Buffer): void {
    const n = out.subarray(offset, offset + XAES_NONCE_BYTES);
    if (nonce === undefined) randomFill(n);
    else nonce.copy(n);
    const key = this.subkey(n);
    try {
      gcmSealInto(key, n.subarray(HALF), plaintext, aad, out, offset + XAES_NONCE_BYTES);
    } finally {
      key.fill(0);
    }
  }

  /** Opens `nonce ‖ ciphertext ‖ tag`: the plaintext in a buffer of its own, or undefined when it does not verify. */
  open(sealed: Buffer, aad: Buffer): Buffer | undefined {
    if (sealed.length < XAES_NONCE_BYTES + GCM_TAG_BYTES) return undefined;
    const key = this.subkey(sealed);
    try {
      return gcmOpen(key, sealed.subarray(HALF, XAES_NONCE_BYTES), sealed.subarray(XAES_NONCE_BYTES), aad);
    } finally {
      key.fill(0);
    }
  }

  /** Frees the key schedule (OpenSSL clears it) and zero-fills the derived CMAC subkey. */
  destroy(): void {
    this.k1.fill(0);
    this.input.fill(0);
    this.block.final();
  }
}
