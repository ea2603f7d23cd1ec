import { createReadStream, readFileSync, statSync } from 'node:fs';
import { writeAtomically } from '../envelope/atomicFile';
import type { Chunks } from '../envelope/byteReader';
import { UsageError } from './output';
import { reserveStdin } from './prompt';
import { expandPath } from './requestOptions';

/** The bytes of IN, or of standard input for "-", counting them for the progress line. */
export function input(path: string): { chunks: Chunks; size: number | undefined } {
  if (path === '-') {
    reserveStdin('the file');
    return { chunks: process.stdin, size: undefined };
  }
  const file = expandPath(path);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
  return { chunks: createReadStream(file, { highWaterMark: 1024 * 1024 }), size };
}

/** The text of a public key file (PEM, a JWK, an age recipient), or its bytes in base64 (DER); undefined when there is no such file. */
export function keyFileText(path: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(expandPath(path));
  } catch {
    return undefined;
  }
  const text = bytes.toString('utf8');
  return bytes.includes('-----BEGIN') || /^\s*(\{|age1)/.test(text) ? text : bytes.toString('base64');
}

/** Reports how far a long run has got on standard error, when it is a terminal, at most four times a second. */
export function withProgress(chunks: Chunks, size: number | undefined, verb: string): Chunks {
  if (!process.stderr.isTTY || size === undefined || size < 16 * 1024 * 1024) return chunks;
  let done = 0;
  let shown = 0;
  return (async function* counted() {
    for await (const chunk of chunks) {
      done += chunk.length;
      if (Date.now() - shown > 250) {
        shown = Date.now();
        process.stderr.write(`\r${verb} ${String(Math.floor((done / size) * 100))}% (${String(Math.round(done / 1048576))} of ${String(Math.round(size / 1048576))} MiB)`);
      }
      yield chunk;
    }
    process.stderr.write('\r\x1b[K');
  })();
}

/** Writes the result: to standard output for "-", else atomically to the file (see writeAtomically). */
export async function output(path: string, chunks: AsyncIterable<Buffer>, force: boolean): Promise<void> {
  if (path !== '-') {
    await writeAtomically(expandPath(path), chunks, force);
    return;
  }
  for await (const chunk of chunks) {
    if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}

/** The first `length` bytes of `chunks` (fewer if it is shorter), and all of it again, to read from the start. */
export async function peek(chunks: Chunks, length: number): Promise<{ start: Buffer; all: Chunks }> {
  const iterator = (async function* each() {
    yield* chunks;
  })();
  const taken: Buffer[] = [];
  let held = 0;
  while (held < length) {
    const next = await iterator.next();
    if (next.done === true) break;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : Buffer.from(next.value);
    taken.push(chunk);
    held += chunk.length;
  }
  const start = Buffer.concat(taken);
  async function* all(): AsyncGenerator<Buffer> {
    if (start.length > 0) yield start;
    for await (const chunk of { [Symbol.asyncIterator]: () => iterator }) yield typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
  }
  return { start: start.subarray(0, length), all: all() };
}
