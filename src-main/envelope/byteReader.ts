import { KmsError } from '../../src-shared/errors';

/** Bytes as a stream, a file or a test gives them. */
export type Chunks = AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

/** Reads exact byte counts from a stream of chunks, holding no more than it must. */
export class ByteReader {
  private chunks: Buffer[] = [];
  private held = 0;
  private done = false;
  private readonly iterator: AsyncIterator<Buffer | Uint8Array | string>;

  constructor(source: Chunks) {
    this.iterator = (async function* all() {
      yield* source;
    })();
  }

  /** Reads until `length` bytes are held or the stream ends; true when they are held. */
  private async fill(length: number): Promise<boolean> {
    while (this.held < length && !this.done) {
      const next = await this.iterator.next();
      if (next.done === true) this.done = true;
      else {
        const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
        if (chunk.length > 0) {
          this.chunks.push(chunk);
          this.held += chunk.length;
        }
      }
    }
    return this.held >= length;
  }

  /** The bytes held so far and up to `length`, without taking them (for a header of unknown length). */
  async peek(length: number): Promise<Buffer> {
    await this.fill(length);
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Exactly `length` bytes; InvalidCiphertextException saying where the file ends early when it does. */
  async read(length: number, what: string): Promise<Buffer> {
    if (!(await this.fill(length))) throw new KmsError('InvalidCiphertextException', `The file ends in the middle of ${what}: it was cut short.`);
    const joined = this.chunks.length === 1 ? (this.chunks[0] ?? Buffer.alloc(0)) : Buffer.concat(this.chunks);
    const taken = joined.subarray(0, length);
    const rest = joined.subarray(length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.held = rest.length;
    return taken;
  }

  /** True when every byte has been read. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }
}
