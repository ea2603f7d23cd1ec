import type { Db } from '../vault/db';
import { vaultOwner } from '../vault/vaultRepo';
import { toCloudTrail } from './record';

export interface AuditPageRequest {
  beforeSequence?: number | undefined;
  limit: number;
  eventName?: string | undefined;
  errorsOnly?: boolean | undefined;
}

/** One page of audit records as CloudTrail events, newest first, with the sequence to ask for the next page. */
export function auditPage(db: Db, request: AuditPageRequest): { records: Record<string, unknown>[]; nextBeforeSequence?: number } {
  const owner = vaultOwner(db);
  const rows = db
    .prepare(
      `SELECT seq, record, hash FROM audit
       WHERE seq < @before AND (@name IS NULL OR event_name = @name) AND (@errors = 0 OR json_type(record, '$.errorCode') IS NOT NULL)
       ORDER BY seq DESC LIMIT @limit`,
    )
    .all({ before: request.beforeSequence ?? Number.MAX_SAFE_INTEGER, name: request.eventName ?? null, errors: request.errorsOnly === true ? 1 : 0, limit: request.limit + 1 }) as {
    seq: number;
    record: string;
    hash: Buffer;
  }[];
  const page = rows.slice(0, request.limit);
  const records = page.map((row) => ({ ...toCloudTrail(row.record, row.hash, owner), strongroomSequence: row.seq }));
  const last = page.at(-1);
  return rows.length > request.limit && last !== undefined ? { records, nextBeforeSequence: last.seq } : { records };
}
