import { parentPort, workerData } from 'node:worker_threads';
import type { CoreOperationName } from '../../src-shared/kms/extensions';
import { isKmsErrorType, KmsError, toErrorShape, type ErrorShape } from '../../src-shared/errors';
import type { FileJobRequest, FileResult } from '../../src-shared/files/jobs';
import { runFileJob } from './fileJob';

/**
 * The thread a batch of files runs on, so that reading, sealing and
 * writing gigabytes never holds up the process that answers the interface.
 * The vault stays with that process: each KMS call is a message to it
 * ({type: 'kms'}), answered with {type: 'kmsReply'}. Reports progress and
 * each file's end, then {type: 'end'}; {type: 'cancel'} stops it.
 */
export type ToWorker = { type: 'kmsReply'; id: number; ok: true; value: Record<string, unknown> } | { type: 'kmsReply'; id: number; ok: false; error: ErrorShape } | { type: 'cancel' };

const port = parentPort;
if (port === null) throw new Error('fileWorker runs as a worker thread.');
const waiting = new Map<number, { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void }>();
let nextId = 0;
const controller = new AbortController();

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') {
    controller.abort();
    return;
  }
  const call = waiting.get(message.id);
  waiting.delete(message.id);
  if (message.ok) call?.resolve(message.value);
  else call?.reject(isKmsErrorType(message.error.__type) ? new KmsError(message.error.__type, message.error.message) : new Error(message.error.message));
});

const kms = (name: CoreOperationName, request: Record<string, unknown>): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    const id = nextId;
    nextId += 1;
    waiting.set(id, { resolve, reject });
    port.postMessage({ type: 'kms', id, name, request });
  });

const events = {
  progress: (bytes: number): void => {
    port.postMessage({ type: 'progress', bytes });
  },
  fileDone: (result: FileResult): void => {
    port.postMessage({ type: 'fileDone', result });
  },
};

runFileJob(kms, workerData as FileJobRequest, events, controller.signal).then(
  () => {
    port.postMessage({ type: 'end' });
  },
  (error: unknown) => {
    if (!(error instanceof KmsError)) process.stderr.write(`strongroom: a batch of files failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    port.postMessage({ type: 'end', error: toErrorShape(error) });
  },
);
