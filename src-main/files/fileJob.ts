import { createReadStream, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { KmsError, toErrorShape } from '../../src-shared/errors';
import type { FileJobRequest, FileResult } from '../../src-shared/files/jobs';
import { writeAtomically } from '../envelope/atomicFile';
import type { Chunks } from '../envelope/byteReader';
import type { KmsCall } from '../envelope/recipients';
import { encryptFiles } from './encryptFiles';
import { decryptedName, encryptedName } from './names';
import { openFile } from './openFile';
import { recipientsOf } from './recipientsOf';

/** What a running batch reports: bytes read so far, and each file as it ends. */
export interface FileJobEvents {
  progress(bytesRead: number): void;
  fileDone(result: FileResult): void;
}

/** The bytes of `path`, counted into `events` as they are read; stopped with CancelledException once `signal` is aborted. */
function counted(path: string, events: FileJobEvents, signal: AbortSignal): Chunks {
  return (async function* read() {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
      if (signal.aborted) throw new KmsError('CancelledException', 'Cancelled: nothing was written for this file.');
      events.progress(chunk.length);
      yield chunk;
    }
  })();
}

/** Where the result of `input` goes: beside it, or in `outputDir`. */
function placed(request: FileJobRequest, name: string): string {
  return request.outputDir === undefined ? name : join(request.outputDir, basename(name));
}

/**
 * Runs a batch of files with the vault's operations `kms`, one file after
 * the other, each written atomically (see writeAtomically): encrypts each
 * for the recipients (stopping at the first file that fails, as the
 * command line does), or decrypts each, going on past a file that fails.
 * Cancelling stops the file being read, which leaves nothing, and the
 * rest.
 */
export async function runFileJob(kms: KmsCall, request: FileJobRequest, events: FileJobEvents, signal: AbortSignal): Promise<void> {
  if (request.kind === 'encrypt') {
    const recipients = await recipientsOf(request.recipients ?? [], kms);
    if ('age' in recipients && (request.context !== undefined || request.signKeyId !== undefined)) throw new KmsError('ValidationException', 'An age file has no encryption context or signature: leave them out for age recipients.');
    const options = { ...(request.context === undefined ? {} : { context: request.context }), ...(request.signKeyId === undefined ? {} : { signKeyId: request.signKeyId }) };
    const files = request.paths.map((input) => ({
      source: () => ({ chunks: counted(input, events, signal), size: statSync(input).size }),
      write: async (result: AsyncIterable<Buffer>, age: boolean) => {
        const output = placed(request, encryptedName(input, age));
        try {
          await writeAtomically(output, result, request.replace);
          events.fileDone({ input, output });
        } catch (error) {
          events.fileDone({ input, error: toErrorShape(error) });
          throw error;
        }
      },
    }));
    await encryptFiles(kms, recipients, options, files);
    return;
  }
  for (const input of request.paths) {
    if (signal.aborted) throw new KmsError('CancelledException', 'Cancelled: the files not yet decrypted were left alone.');
    const output = placed(request, decryptedName(input));
    try {
      const opened = await openFile(counted(input, events, signal), (plaintext) => writeAtomically(output, plaintext, request.replace), (_first, work) => work(kms));
      events.fileDone({ input, output, opened });
    } catch (error) {
      events.fileDone({ input, error: toErrorShape(error) });
    }
  }
}
