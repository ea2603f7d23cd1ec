import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { KmsError } from '../../src-shared/errors';
import type { Db } from '../vault/db';
import { RecordBatch, rowWriter } from './auditWriter.cjs';
import { storedJson, type AuditEvent } from './record';

const FLUSH_MS = 200;
const MAX_PENDING = 2000;
/** Batches the writer thread may be behind before callers wait for it: memory stays bounded however fast they call. */
const MAX_BATCHES_IN_FLIGHT = 2;
const WRITER_WAIT_MS = 10_000;
const WRITER_FILE = join(__dirname, 'auditWriter.cjs');

function writeFailed(): KmsError {
  return new KmsError('KMSInternalException', 'The audit log could not be written, so the vault refuses further calls. Check the disk, then open the vault again.');
}

/**
 * The vault's hash-chained audit log. Each row stores the parts of an event
 * that vary (see record.ts); export turns them into CloudTrail records.
 *
 * A change to the vault and its record are written in one SQLite
 * transaction ({@link AuditLog.recordWithChange}): both or neither. Other
 * records of changes (unlock, lock, failures) are durable before
 * {@link AuditLog.record} returns. Records of cryptographic and read-only
 * calls that succeed are queued and written together within 200 ms (or every 2,000
 * records) by a worker thread (auditWriter.cjs), started at the first
 * batch, so that busy callers do not wait on SQLite; whoever hands the writer
 * a batch waits while it is more than two batches behind. A crash loses at
 * most the records not yet committed, never more than 6,000. Whoever
 * writes, rows are numbered and chained after the last row in the table. If
 * a write fails, every later call fails too; the queued records of calls
 * already answered are lost with it, never the record of a change.
 */
export class AuditLog {
  private pending = new RecordBatch();
  private timer: NodeJS.Timeout | undefined;
  private readonly writeHere: (batch: RecordBatch) => void;
  private writer: Worker | undefined;
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private ticket = 0;
  private failed = false;
  private closed = false;

  constructor(private readonly db: Db) {
    this.writeHere = rowWriter(db);
  }

  /** Throws unless records can be written: the log has not failed and is not closed. */
  assertWritable(): void {
    if (this.closed) throw new KmsError('KMSInvalidStateException', 'The vault has been closed.');
    if (this.failed || Atomics.load(this.signal, 1) !== 0) {
      this.failed = true;
      throw writeFailed();
    }
  }

  /** Appends one event to the chain; durable before returning when it records a change or a failure. */
  record(event: AuditEvent): void {
    this.assertWritable();
    pack(this.pending, event);
    if ((event.managementEvent && !event.readOnly) || event.errorCode !== undefined) this.flush();
    else if (this.pending.count >= MAX_PENDING) {
      this.write(false);
      this.keepUpWithWriter();
    } else this.timer ??= setTimeout(() => {
      try {
        this.write(false);
        this.keepUpWithWriter();
      } catch {
        this.failed = true; // the next call is refused
      }
    }, FLUSH_MS).unref();
  }

  /**
   * Runs `change` (a write to the vault) and appends the event describing
   * its result in the same SQLite transaction, taken for writing at once so
   * that no other writer slips in between its reads and writes.
   */
  recordWithChange<T>(change: () => T, describe: (result: T) => AuditEvent): T {
    this.flush();
    const run = this.db.transaction(() => {
      const result = change();
      const batch = new RecordBatch(1024); // one record; it grows if the record is larger
      pack(batch, describe(result));
      this.writeNow(batch);
      return result;
    });
    return run.immediate();
  }

  /** Writes every queued record now and returns when they are durable. Never inside a transaction on the vault: the writer thread would wait for it while it waits for the writer. */
  flush(): void {
    this.assertWritable();
    if (this.db.inTransaction) throw new Error('The audit log cannot be flushed inside a transaction.');
    this.write(true);
  }

  /** Flushes what can still be written, stops the writer thread, and refuses records from then on. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } catch {
      // A failed log has already refused every call since; what it holds cannot be written.
    } finally {
      this.closed = true;
      clearTimeout(this.timer);
      void this.writer?.terminate();
      this.writer = undefined;
    }
  }

  private write(wait: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    if (batch.count > 0) this.pending = batch.next();
    if (this.writer === undefined && wait) {
      if (batch.count > 0) this.writeNow(batch);
      return;
    }
    if (batch.count > 0) {
      this.writer ??= this.startWriter();
      this.ticket += 1;
      const { buffer } = batch.bytes;
      this.writer.postMessage({ buffer, used: batch.used, ticket: this.ticket }, [buffer]);
    }
    if (wait && this.writer !== undefined) this.waitForWriter(this.ticket);
  }

  /** Makes a busy caller wait while the writer thread is more than MAX_BATCHES_IN_FLIGHT batches behind. */
  private keepUpWithWriter(): void {
    if (this.ticket - Atomics.load(this.signal, 0) > MAX_BATCHES_IN_FLIGHT) this.waitForWriter(this.ticket - MAX_BATCHES_IN_FLIGHT);
  }

  /** Writes a batch on this thread; a failure puts the log in its failed state. */
  private writeNow(batch: RecordBatch): void {
    try {
      this.writeHere(batch);
    } catch {
      this.failed = true;
      throw writeFailed();
    }
  }

  private startWriter(): Worker {
    const worker = new Worker(WRITER_FILE, { workerData: { strongroomAuditWriter: true, file: this.db.name, signal: this.signal.buffer } });
    worker.unref();
    const fail = (): void => {
      if (!this.closed) Atomics.store(this.signal, 1, 1);
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    return worker;
  }

  /** Blocks until the writer has committed every batch up to `ticket`. */
  private waitForWriter(ticket: number): void {
    const deadline = Date.now() + WRITER_WAIT_MS;
    for (let done = Atomics.load(this.signal, 0); done < ticket && Date.now() < deadline; done = Atomics.load(this.signal, 0)) {
      Atomics.wait(this.signal, 0, done, 100);
    }
    if (Atomics.load(this.signal, 0) < ticket || Atomics.load(this.signal, 1) !== 0) {
      this.failed = true;
      throw writeFailed();
    }
  }
}

/** Appends `event`, as the table stores it, to `batch`. */
function pack(batch: RecordBatch, event: AuditEvent): void {
  batch.add(storedJson(event, eventTime()), event.errorCode !== undefined, !event.managementEvent);
}

let lastMs = 0;
let lastTime = '';

/** The time now in ISO 8601, formatted once per millisecond. */
function eventTime(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastTime = new Date(ms).toISOString();
  }
  return lastTime;
}
