import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { KmsError, toErrorShape, type ErrorShape } from '../../src-shared/errors';
import type { CoreOperationName } from '../../src-shared/kms/extensions';
import type { FileJobRequest, FileJobState, FileResult } from '../../src-shared/files/jobs';
import type { ToWorker } from '../files/fileWorker';

type FromWorker = { type: 'kms'; id: number; name: CoreOperationName; request: Record<string, unknown> } | { type: 'progress'; bytes: number } | { type: 'fileDone'; result: FileResult } | { type: 'end'; error?: ErrorShape };

interface Job {
  state: FileJobState;
  readonly worker: Worker;
}

/** How many batches run at once, and how many finished ones are remembered. */
const RUNNING = 4;
const KEPT = 20;

/**
 * The batches of files the interface started, each on its own worker
 * thread (files/fileWorker), its KMS calls run here, as the interface's
 * caller. Inputs are checked before a batch starts (each a readable file).
 */
export class FileJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly workerFile: string,
    private readonly kms: (name: CoreOperationName, request: unknown) => unknown,
  ) {}

  start(request: FileJobRequest): FileJobState {
    if ([...this.jobs.values()].filter((job) => job.state.state === 'running').length >= RUNNING) throw new KmsError('LimitExceededException', `At most ${String(RUNNING)} batches of files run at once: wait for one to end.`);
    let bytesTotal = 0;
    for (const path of request.paths) {
      const stat = (() => {
        try {
          return statSync(path);
        } catch {
          return undefined;
        }
      })();
      if (stat?.isFile() !== true) throw new KmsError('ValidationException', `${path} is not a file that can be read.`);
      bytesTotal += stat.size;
    }
    if (!existsSync(this.workerFile)) throw new KmsError('KMSInternalException', `The file worker ${this.workerFile} is missing: run "npm run build" in the Strongroom checkout.`);
    const jobId = randomUUID();
    const worker = new Worker(this.workerFile, { workerData: request });
    const job: Job = { worker, state: { jobId, kind: request.kind, state: 'running', bytesDone: 0, bytesTotal, results: [] } };
    this.jobs.set(jobId, job);
    worker.on('message', (message: FromWorker) => {
      this.onMessage(job, message);
    });
    worker.on('error', (error) => {
      process.stderr.write(`strongroom: the thread of a batch of files stopped: ${error.stack ?? error.message}\n`);
      this.end(job, { error: toErrorShape(error) });
    });
    this.forgetOld();
    return job.state;
  }

  private onMessage(job: Job, message: FromWorker): void {
    if (message.type === 'kms') {
      let reply: ToWorker;
      try {
        reply = { type: 'kmsReply', id: message.id, ok: true, value: this.kms(message.name, message.request) as Record<string, unknown> };
      } catch (error) {
        reply = { type: 'kmsReply', id: message.id, ok: false, error: toErrorShape(error) };
      }
      job.worker.postMessage(reply);
    } else if (message.type === 'progress') {
      job.state = { ...job.state, bytesDone: job.state.bytesDone + message.bytes };
    } else if (message.type === 'fileDone') {
      job.state = { ...job.state, results: [...job.state.results, message.result] };
    } else {
      this.end(job, message.error === undefined ? {} : { error: message.error });
    }
  }

  private end(job: Job, outcome: { error?: ErrorShape }): void {
    if (job.state.state !== 'running') return;
    const cancelled = outcome.error?.__type === 'CancelledException';
    job.state = { ...job.state, state: cancelled ? 'cancelled' : outcome.error === undefined ? 'done' : 'failed', ...(outcome.error === undefined || cancelled ? {} : { error: outcome.error }) };
    void job.worker.terminate();
  }

  /** The state of batch `jobId` (NotFoundException once forgotten). */
  state(jobId: string): FileJobState {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new KmsError('NotFoundException', 'There is no such batch of files (any more).');
    return job.state;
  }

  /** Asks batch `jobId` to stop: the file being read leaves nothing; those done stay. */
  cancel(jobId: string): FileJobState {
    const job = this.jobs.get(jobId);
    if (job?.state.state === 'running') job.worker.postMessage({ type: 'cancel' } satisfies ToWorker);
    return this.state(jobId);
  }

  /** Cancels every running batch (the vault locked). */
  cancelAll(): void {
    for (const jobId of this.jobs.keys()) this.cancel(jobId);
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((job) => job.state.state !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - KEPT))) this.jobs.delete(job.state.jobId);
  }
}
