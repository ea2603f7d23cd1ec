import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KmsError } from '../../src-shared/errors';

/** Chunks are written a few MiB at a time: one system call for many frames. */
const WRITE_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Writes what `chunks` yields to `path`, through a temporary file beside it
 * (private to this user) that is flushed to disk and renamed over `path`
 * only once the last chunk has come: a failure or interruption never leaves
 * a half file, or plaintext, under the final name. An existing `path` is
 * replaced only with `replace` (AlreadyExistsException otherwise).
 */
export async function writeAtomically(path: string, chunks: AsyncIterable<Buffer> | Iterable<Buffer>, replace: boolean): Promise<void> {
  if (!replace && existsSync(path)) throw new KmsError('AlreadyExistsException', `${path} exists: choose another name, or say to replace it (--force).`);
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  const file = await open(temporary, 'wx', 0o600);
  let done = false;
  try {
    let batch: Buffer[] = [];
    let batched = 0;
    for await (const chunk of chunks) {
      batch.push(chunk);
      batched += chunk.length;
      if (batched >= WRITE_BATCH_BYTES) {
        await file.writev(batch);
        batch = [];
        batched = 0;
      }
    }
    if (batch.length > 0) await file.writev(batch);
    await file.sync();
    await file.close();
    if (!replace && existsSync(path)) throw new KmsError('AlreadyExistsException', `${path} appeared while it was being written: choose another name, or say to replace it (--force).`);
    await rename(temporary, path);
    done = true;
  } finally {
    if (!done) {
      await file.close().catch(() => undefined);
      await rm(temporary, { force: true });
    }
  }
}
