import { createCipheriv, type Cipher } from 'node:crypto';
import { GCM_TAG_BYTES, gcmOpen, gcmSealInto } from './aesGcm';
import { randomFill } from './random';
import { secretBuffer } from './secret';

export const XAES_NONCE_BYTES = 24;
const HALF = 12;
/** Messages sealed under one derived key before a new first nonce half is drawn: far below AES-GCM's 2^32 random-IV bound. */
export const MESSAGES_PER_SUBKEY = 65_536;

/** A derived AES-256-GCM key and the first nonce half it was derived from. */
interface Subkey {
  readonly prefix: Buffer;
  readonly key: Buffer;
  uses: number;
}

/**
 * XAES-256-GCM (c2sp.org/XAES-256-GCM): AES-256-GCM under a key derived
 * from the input key and the first half of a random 192-bit nonce (NIST SP
 * 800-108r1 counter KDF with CMAC-AES256); the second half is the GCM IV.
 * Each derived key seals at most {@link MESSAGES_PER_SUBKEY} messages, each
 * with a fresh random IV, then a new first half is drawn: one input key can
 * encrypt a practically unlimited number of messages, where AES-GCM with
 * random 96-bit IVs must stop at 2^32. The key schedule is made once per
 * key: {@link destroy} it when the key is dropped.
 */
export class XaesKey {
  private readonly block: Cipher;
  /** `M1 ‖ M2` of the specification with their nonce bytes zero, each XORed with the CMAC subkey K1. */
  private readonly masked = secretBuffer(32);
  /** The CMAC input of {@link derive}, zero-filled after each use. */
  private readonly scratch = secretBuffer(32);
  private sealing: Subkey | undefined;
  private opening: Subkey | undefined;

  constructor(key: Buffer) {
    this.block = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
    const l = this.block.update(Buffer.alloc(16));
    const k1 = secretBuffer(16);
    for (let i = 0; i < 16; i++) k1[i] = ((l[i] as number) << 1) | ((l[i + 1] ?? 0) >> 7);
    if (((l[0] as number) & 0x80) !== 0) k1[15] = (k1[15] as number) ^ 0x87;
    this.masked.set([0, 1, 0x58, 0], 0);
    this.masked.set([0, 2, 0x58, 0], 16);
    for (let i = 0; i < 32; i++) this.masked[i] = (this.masked[i] as number) ^ (k1[i & 15] as number);
    l.fill(0);
    k1.fill(0);
  }

  /** The AES-256-GCM key for the first nonce half `prefix`: AES(M1 ⊕ K1) ‖ AES(M2 ⊕ K1). */
  private derive(prefix: Buffer): Subkey {
    const m = this.scratch;
    this.masked.copy(m);
    for (let i = 0; i < HALF; i++) {
      const byte = prefix[i] as number;
      m[4 + i] = (m[4 + i] as number) ^ byte;
      m[20 + i] = (m[20 + i] as number) ^ byte;
    }
    const key = secretBuffer(32);
    try {
      const out = this.block.update(m);
      out.copy(key);
      out.fill(0);
    } finally {
      m.fill(0);
    }
    return { prefix: Buffer.from(prefix.subarray(0, HALF)), key, uses: 0 };
  }

  /** The key to seal the next message with, drawing a new first nonce half when the current one has sealed its share. */
  private nextSealing(): Subkey {
    if (this.sealing === undefined || this.sealing.uses >= MESSAGES_PER_SUBKEY) {
      forget(this.sealing);
      this.sealing = this.derive(randomFill(Buffer.alloc(HALF)));
    }
    this.sealing.uses += 1;
    return this.sealing;
  }

  /**
   * Writes `nonce ‖ ciphertext ‖ tag` into `out` at `offset`: the nonce is
   * the current first half and a fresh random IV (or, for test vectors, the
   * `nonce` given).
   */
  sealInto(plaintext: Buffer, aad: Buffer, out: Buffer, offset: number, nonce?: Buffer): void {
    const n = out.subarray(offset, offset + XAES_NONCE_BYTES);
    let subkey: Subkey;
    if (nonce === undefined) {
      subkey = this.nextSealing();
      subkey.prefix.copy(n);
      randomFill(n.subarray(HALF));
    } else {
      nonce.copy(n);
      subkey = this.derive(n);
    }
    gcmSealInto(subkey.key, n.subarray(HALF), plaintext, aad, out, offset + XAES_NONCE_BYTES);
    if (nonce !== undefined) forget(subkey);
  }

  /** Opens `nonce ‖ ciphertext ‖ tag`: the plaintext in a buffer of its own, or undefined when it does not verify. */
  open(sealed: Buffer, aad: Buffer): Buffer | undefined {
    if (sealed.length < XAES_NONCE_BYTES + GCM_TAG_BYTES) return undefined;
    const prefix = sealed.subarray(0, HALF);
    if (this.opening === undefined || !this.opening.prefix.equals(prefix)) {
      forget(this.opening);
      this.opening = this.derive(prefix);
    }
    return gcmOpen(this.opening.key, sealed.subarray(HALF, XAES_NONCE_BYTES), sealed.subarray(XAES_NONCE_BYTES), aad);
  }

  /** Frees the key schedule (OpenSSL clears it) and zero-fills everything derived from the key. */
  destroy(): void {
    this.masked.fill(0);
    forget(this.sealing);
    forget(this.opening);
    this.sealing = undefined;
    this.opening = undefined;
    this.block.final();
  }
}

function forget(subkey: Subkey | undefined): void {
  subkey?.key.fill(0);
}
