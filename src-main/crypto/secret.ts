import { randomFillSync } from 'node:crypto';

/**
 * A zero-filled buffer for secret bytes, outside V8's heap. Buffer.alloc
 * puts buffers of up to 64 bytes inside the JavaScript heap, where the
 * garbage collector moves them and leaves the old bytes behind, out of reach
 * of fill(0); an ArrayBuffer's memory stays where it was allocated.
 */
export function secretBuffer(length: number): Buffer {
  return Buffer.from(new ArrayBuffer(length));
}

/**
 * A secret byte string with one owner. Its bytes live in a buffer of their
 * own (never a slice of Node's shared pool, never in V8's heap: see
 * {@link secretBuffer}) and are zero-filled by
 * {@link SecretBytes.destroy}; any use after that throws.
 */
export class SecretBytes {
  private bytes: Buffer | undefined;

  private constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  /** `length` fresh random bytes from node:crypto. */
  static random(length: number): SecretBytes {
    return new SecretBytes(randomFillSync(secretBuffer(length)));
  }

  /** Takes ownership of `bytes`: the caller must not keep or reuse it. */
  static adopt(bytes: Buffer): SecretBytes {
    return new SecretBytes(bytes);
  }

  /** The bytes, for the duration of a call that does not keep them. */
  get value(): Buffer {
    if (this.bytes === undefined) throw new Error('secret used after it was destroyed');
    return this.bytes;
  }

  get destroyed(): boolean {
    return this.bytes === undefined;
  }

  /** Zero-fills the bytes and forgets them. Safe to call twice. */
  destroy(): void {
    this.bytes?.fill(0);
    this.bytes = undefined;
  }
}

/** The UTF-8 text of `chunks` read from a stream (a PIN, a plaintext), after which their bytes are zero-filled: only the string remains. */
export function textOfChunks(chunks: readonly Buffer[]): string {
  const bytes = Buffer.concat(chunks);
  try {
    return bytes.toString('utf8');
  } finally {
    for (const buffer of [bytes, ...chunks]) buffer.fill(0);
  }
}

/** A copy of `bytes` in a secret buffer of its own (see {@link secretBuffer}), which the caller zero-fills. */
export function copyToSecret(bytes: Uint8Array): Buffer {
  const out = secretBuffer(bytes.length);
  out.set(bytes);
  return out;
}
