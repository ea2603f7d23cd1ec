import { hash } from 'node:crypto';
import type { Db } from '../vault/db';
import { storedRecord, type AuditEvent } from './record';

const GENESIS: Buffer = Buffer.alloc(32);
const FLUSH_MS = 200;
const MAX_PENDING = 2000;
const ROWS_PER_INSERT = 100;

interface Pending {
  seq: number;
  eventTime: string;
  eventName: string;
  record: string;
  hash: Buffer;
}

/** hash(n) = SHA-256(hash(n-1) ‖ seq as 8 bytes big-endian ‖ record JSON); hash(0) is 32 zero bytes. */
export function chainHash(previous: Buffer, seq: number, record: string): Buffer {
  const input = Buffer.allocUnsafe(40 + Buffer.byteLength(record));
  previous.copy(input, 0);
  input.writeUInt32BE(Math.floor(seq / 2 ** 32), 32);
  input.writeUInt32BE(seq >>> 0, 36);
  input.write(record, 40, 'utf8');
  return hash('sha256', input, 'buffer');
}

/**
 * The vault's hash-chained audit log. Each row stores the parts of an event
 * that vary (see record.ts); export turns them into CloudTrail records.
 * Records of calls that change something are written before
 * {@link AuditLog.record} returns; records of cryptographic and read-only
 * calls are queued and written together within 200 ms (or every 2,000
 * records), so a crash loses at most that window of them.
 */
export class AuditLog {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastSeq: number;
  private lastHash: Buffer;
  private readonly insert;

  constructor(private readonly db: Db) {
    const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: Buffer } | undefined;
    this.lastSeq = last?.seq ?? 0;
    this.lastHash = last?.hash ?? GENESIS;
    const one = db.prepare('INSERT INTO audit (seq, event_time, event_name, record, hash) VALUES (?, ?, ?, ?, ?)');
    const many = db.prepare(`INSERT INTO audit (seq, event_time, event_name, record, hash) VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?)').join(', ')}`);
    const values = (rows: Pending[]) => rows.flatMap((r) => [r.seq, r.eventTime, r.eventName, r.record, r.hash]);
    this.insert = db.transaction((rows: Pending[]) => {
      let at = 0;
      for (; at + ROWS_PER_INSERT <= rows.length; at += ROWS_PER_INSERT) many.run(values(rows.slice(at, at + ROWS_PER_INSERT)));
      for (const row of rows.slice(at)) one.run(values([row]));
    });
  }

  /** Appends one event to the chain. */
  record(event: AuditEvent): void {
    const now = new Date();
    const seq = this.lastSeq + 1;
    const record = storedRecord(event, now);
    const hash = chainHash(this.lastHash, seq, record);
    this.pending.push({ seq, eventTime: now.toISOString(), eventName: event.eventName, record, hash });
    this.lastSeq = seq;
    this.lastHash = hash;
    if ((event.managementEvent && !event.readOnly) || this.pending.length >= MAX_PENDING) this.flush();
    else this.timer ??= setTimeout(() => {
      this.flush();
    }, FLUSH_MS).unref();
  }

  /** Writes every queued record now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    this.insert(rows);
  }
}
