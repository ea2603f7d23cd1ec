import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { KmsError } from '../../src-shared/errors';
import { rowWriter, type AuditRow } from './auditWriter.cjs';
import type { Db } from '../vault/db';
import { storedRecord, type AuditEvent } from './record';

const GENESIS: Buffer = Buffer.alloc(32);
const FLUSH_MS = 200;
const MAX_PENDING = 2000;
const WRITER_WAIT_MS = 30_000;
const WRITER_FILE = join(__dirname, 'auditWriter.cjs');

function writeFailed(): KmsError {
  return new KmsError('KMSInternalException', 'The audit log could not be written, so the vault refuses further calls. Check the disk, then open the vault again.');
}

/**
 * The vault's hash-chained audit log. Each row stores the parts of an event
 * that vary (see record.ts); export turns them into CloudTrail records.
 *
 * Records of calls that change something are written before
 * {@link AuditLog.record} returns. Records of cryptographic and read-only
 * calls are queued and written together within 200 ms (or every 2,000
 * records), so a crash loses at most that window of them. Those batches are
 * written by a worker thread (auditWriter.cjs), started at the first one, so
 * that busy callers do not wait on SQLite; from then on every record goes
 * through it, in order, and a record that must be durable waits for it.
 * If a write fails, every later call fails too: nothing goes unrecorded.
 */
export class AuditLog {
  private pending: AuditRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastSeq: number;
  private readonly here: ReturnType<typeof rowWriter>;
  private writer: Worker | undefined;
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private ticket = 0;
  private failed = false;

  constructor(private readonly db: Db) {
    const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: Buffer } | undefined;
    this.lastSeq = last?.seq ?? 0;
    this.here = rowWriter(db, last?.hash ?? GENESIS);
  }

  /** Appends one event to the chain. */
  record(event: AuditEvent): void {
    if (this.failed || Atomics.load(this.signal, 1) !== 0) {
      this.failed = true;
      throw writeFailed();
    }
    const eventTime = new Date().toISOString();
    this.lastSeq += 1;
    this.pending.push({ seq: this.lastSeq, eventTime, eventName: event.eventName, record: storedRecord(event, eventTime) });
    if (event.managementEvent && !event.readOnly) this.flush();
    else if (this.pending.length >= MAX_PENDING) this.write(false);
    else this.timer ??= setTimeout(() => {
      this.write(false);
    }, FLUSH_MS).unref();
  }

  /** Writes every queued record now and returns when they are durable. */
  flush(): void {
    this.write(true);
  }

  /** Flushes, and stops the writer thread. */
  close(): void {
    this.flush();
    void this.writer?.terminate();
    this.writer = undefined;
  }

  private write(wait: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.pending;
    this.pending = [];
    if (this.writer === undefined && wait) {
      if (rows.length > 0) this.here.write(rows);
      return;
    }
    if (rows.length > 0) {
      this.writer ??= this.startWriter();
      this.ticket += 1;
      this.writer.postMessage({ rows, ticket: this.ticket });
    }
    if (wait && this.writer !== undefined) this.waitForWriter();
  }

  private startWriter(): Worker {
    const worker = new Worker(WRITER_FILE, { workerData: { strongroomAuditWriter: true, file: this.db.name, signal: this.signal.buffer, lastHash: this.here.lastHash() } });
    worker.unref();
    worker.on('error', () => {
      Atomics.store(this.signal, 1, 1);
    });
    return worker;
  }

  /** Blocks until the writer has committed every batch posted so far. */
  private waitForWriter(): void {
    const deadline = Date.now() + WRITER_WAIT_MS;
    for (let done = Atomics.load(this.signal, 0); done < this.ticket && Date.now() < deadline; done = Atomics.load(this.signal, 0)) {
      Atomics.wait(this.signal, 0, done, 100);
    }
    if (Atomics.load(this.signal, 0) < this.ticket || Atomics.load(this.signal, 1) !== 0) {
      this.failed = true;
      throw writeFailed();
    }
  }
}
