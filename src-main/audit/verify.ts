import type { Db } from '../vault/db';
import { vaultOwner } from '../vault/vaultRepo';
import { chainHash } from './auditWriter.cjs';
import { toCloudTrail } from './record';

/** What `audit verify` found. */
export interface VerifyResult {
  Valid: boolean;
  Records: number;
  /** The sequence number of the first record that is missing or does not match the chain. */
  FirstBadRecord?: number;
  Problem?: string;
}

/**
 * Walks the chain from the first record and reports the first one that is
 * missing, out of place, or changed, including its event name and time
 * columns (which the interface filters on) against the record they come
 * from. (Records cut from the end leave a shorter valid chain: compare
 * Records with an exported copy to see that.)
 */
export function verifyAuditLog(db: Db): VerifyResult {
  let previous: Buffer = Buffer.alloc(32);
  let expected = 1;
  const rows = db.prepare(
    `SELECT seq, record, hash,
       CASE WHEN json_valid(record) THEN event_name IS json_extract(record, '$.eventName') AND event_time IS json_extract(record, '$.eventTime') ELSE 0 END AS columnsMatch
     FROM audit ORDER BY seq`,
  );
  for (const row of rows.iterate() as IterableIterator<{ seq: number; record: string; hash: Buffer; columnsMatch: number }>) {
    if (row.seq !== expected) {
      return { Valid: false, Records: expected - 1, FirstBadRecord: expected, Problem: `Record ${String(expected)} is missing (the next one is ${String(row.seq)}).` };
    }
    const hash = chainHash(previous, row.seq, row.record);
    if (!hash.equals(row.hash)) {
      return { Valid: false, Records: expected - 1, FirstBadRecord: row.seq, Problem: `Record ${String(row.seq)} does not match the chain: it was changed, moved, or a record before it was.` };
    }
    if (row.columnsMatch !== 1) {
      return { Valid: false, Records: expected - 1, FirstBadRecord: row.seq, Problem: `Record ${String(row.seq)}'s event name or time column differs from the record: it was changed.` };
    }
    previous = row.hash;
    expected += 1;
  }
  return { Valid: true, Records: expected - 1 };
}

const EXPORT_PAGE = 1000;

/**
 * Every record as one line of CloudTrail JSON, oldest first, each with its
 * sequence number and chain hash. Read a thousand rows at a time, so that a
 * slow reader does not hold the database's log open (and growing) meanwhile.
 */
export function* exportAuditLog(db: Db): Generator<string> {
  const owner = vaultOwner(db);
  const page = db.prepare<[number, number], { seq: number; record: string; hash: Buffer }>('SELECT seq, record, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?');
  for (let after = 0; ; ) {
    const rows = page.all(after, EXPORT_PAGE);
    for (const row of rows) {
      const record = toCloudTrail(row.record, row.hash, owner);
      yield JSON.stringify({ ...record, strongroomSequence: row.seq, strongroomChainHash: row.hash.toString('hex') });
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < EXPORT_PAGE) return;
    after = last.seq;
  }
}
