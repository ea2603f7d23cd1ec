import type { Db } from '../vault/db';
import { vaultOwner } from '../vault/vaultRepo';
import { toCloudTrail } from './record';

export interface AuditPageRequest {
  beforeSequence?: number | undefined;
  limit: number;
  /** The start of the event's name, in any case. */
  eventName?: string | undefined;
  /** The ARN of a key: records that name it among their resources. */
  keyArn?: string | undefined;
  /** Part of the caller's ARN, in any case. */
  principal?: string | undefined;
  /** Epoch seconds, both included. */
  startTime?: number | undefined;
  endTime?: number | undefined;
  errorsOnly?: boolean | undefined;
  dataPlaneOnly?: boolean | undefined;
}

/** `text` as a LIKE pattern that matches it literally (with `\` as the escape). */
function literal(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** One page of audit records as CloudTrail events, newest first, with the sequence to ask for the next page. */
export function auditPage(db: Db, request: AuditPageRequest): { records: Record<string, unknown>[]; nextBeforeSequence?: number } {
  const owner = vaultOwner(db);
  const rows = db
    .prepare(
      `SELECT seq, record, hash FROM audit
       WHERE seq < @before
         AND (@name IS NULL OR lower(event_name) LIKE @name ESCAPE '\\')
         AND (@errors = 0 OR json_type(record, '$.errorCode') IS NOT NULL)
         AND (@dataPlane = 0 OR json_extract(record, '$.managementEvent') = 0)
         AND (@start IS NULL OR event_time >= @start)
         AND (@end IS NULL OR event_time < @end)
         AND (@principal IS NULL OR lower(CASE json_extract(record, '$.identity') WHEN 'Root' THEN @rootArn WHEN 'User' THEN json_extract(record, '$.principal') ELSE json_extract(record, '$.identity') END) LIKE @principal ESCAPE '\\')
         AND (@keyArn IS NULL OR EXISTS (SELECT 1 FROM json_each(record, '$.resources') WHERE value = @keyArn))
       ORDER BY seq DESC LIMIT @limit`,
    )
    .all({
      before: request.beforeSequence ?? Number.MAX_SAFE_INTEGER,
      name: request.eventName === undefined ? null : `${literal(request.eventName.toLowerCase())}%`,
      errors: request.errorsOnly === true ? 1 : 0,
      dataPlane: request.dataPlaneOnly === true ? 1 : 0,
      start: request.startTime === undefined ? null : iso(request.startTime),
      end: request.endTime === undefined ? null : iso(Math.floor(request.endTime) + 1),
      principal: request.principal === undefined ? null : `%${literal(request.principal.toLowerCase())}%`,
      rootArn: `arn:aws:iam::${owner.accountId}:root`,
      keyArn: request.keyArn ?? null,
      limit: request.limit + 1,
    }) as {
    seq: number;
    record: string;
    hash: Buffer;
  }[];
  const page = rows.slice(0, request.limit);
  const records = page.map((row) => ({ ...toCloudTrail(row.record, row.hash, owner), strongroomSequence: row.seq }));
  const last = page.at(-1);
  return rows.length > request.limit && last !== undefined ? { records, nextBeforeSequence: last.seq } : { records };
}
