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

/** The text of the file at `path` (~ and $VARS expanded); UsageError when it cannot be read. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(expandPath(path), 'utf8');
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
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
