import { createHash } from 'node:crypto';
import type { Db } from '../vault/db';
import { toCloudTrail, type AuditEvent } from './record';

const GENESIS: Buffer = Buffer.alloc(32);
const FLUSH_MS = 200;
const MAX_PENDING = 2000;

interface Pending {
  seq: number;
  eventTime: string;
  eventName: string;
  record: string;
  hash: Buffer;
}

/** hash(n) = SHA-256(hash(n-1) ‖ seq as 8 bytes big-endian ‖ record JSON); hash(0) is 32 zero bytes. */
export function chainHash(previous: Buffer, seq: number, record: string): Buffer {
  const seqBytes = Buffer.alloc(8);
  seqBytes.writeBigUInt64BE(BigInt(seq));
  return createHash('sha256').update(previous).update(seqBytes).update(record, 'utf8').digest();
}

/**
 * The vault's hash-chained audit log, in CloudTrail's record shape.
 * Management records are written before {@link AuditLog.record} returns;
 * data-plane records are queued and written together within 200 ms (or
 * every 2,000 records), so a crash loses at most that window of them.
 */
export class AuditLog {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastSeq: number;
  private lastHash: Buffer;
  private readonly insert;

  constructor(
    private readonly db: Db,
    private readonly region: string,
    private readonly accountId: string,
  ) {
    const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: Buffer } | undefined;
    this.lastSeq = last?.seq ?? 0;
    this.lastHash = last?.hash ?? GENESIS;
    const insert = db.prepare('INSERT INTO audit (seq, event_time, event_name, record, hash) VALUES (@seq, @eventTime, @eventName, @record, @hash)');
    this.insert = db.transaction((rows: Pending[]) => {
      for (const row of rows) insert.run(row);
    });
  }

  /** Appends one event to the chain. */
  record(event: AuditEvent): void {
    const now = new Date();
    const seq = this.lastSeq + 1;
    const record = JSON.stringify(toCloudTrail(event, now, this.region, this.accountId));
    const hash = chainHash(this.lastHash, seq, record);
    this.pending.push({ seq, eventTime: now.toISOString(), eventName: event.eventName, record, hash });
    this.lastSeq = seq;
    this.lastHash = hash;
    if (event.managementEvent || this.pending.length >= MAX_PENDING) this.flush();
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
