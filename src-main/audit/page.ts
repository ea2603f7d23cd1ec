import type { Db } from '../vault/db';
import { vaultOwner } from '../vault/vaultRepo';
import { toCloudTrail } from './record';

export interface AuditPageRequest {
  beforeSequence?: number | undefined;
  limit: number;
  /** The start of the event's name, in any case. */
  eventName?: string | undefined;
  /** The id of a key: records that name it among their resources. */
  keyId?: string | undefined;
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

type Params = Record<string, string | number>;

/** The conditions of `request`'s filters on `s`, a row of audit_search (see migration 0006), and their parameters. LIKE ignores ASCII case. */
function conditions(request: AuditPageRequest, accountId: string): { terms: string[]; params: Params } {
  const terms: string[] = [];
  const params: Params = { before: request.beforeSequence ?? Number.MAX_SAFE_INTEGER, limit: request.limit + 1 };
  if (request.eventName !== undefined) {
    terms.push(`s.event_name LIKE @name ESCAPE '\\'`);
    params.name = `${literal(request.eventName)}%`;
  }
  if (request.errorsOnly === true) terms.push('s.is_error = 1');
  if (request.dataPlaneOnly === true) terms.push('s.data_plane = 1');
  if (request.startTime !== undefined) {
    terms.push('s.event_time >= @start');
    params.start = iso(request.startTime);
  }
  if (request.endTime !== undefined) {
    terms.push('s.event_time < @end');
    params.end = iso(Math.floor(request.endTime) + 1);
  }
  if (request.principal !== undefined) {
    terms.push(`(CASE s.caller WHEN 'Root' THEN @rootArn ELSE s.caller END) LIKE @principal ESCAPE '\\'`);
    params.principal = `%${literal(request.principal)}%`;
    params.rootArn = `arn:aws:iam::${accountId}:root`;
  }
  if (request.keyId !== undefined) params.keyId = request.keyId;
  return { terms, params };
}

/**
 * The sequence numbers of a page, newest first, read from the narrow search
 * tables alone: a key's records through audit_keys, failures through the
 * index of failures (which leads when both are asked: failures are the
 * rarer), anything else by walking audit_search back from `before`.
 */
function pageSequences(request: AuditPageRequest, terms: string[]): string {
  const and = terms.map((term) => ` AND ${term}`).join('');
  if (request.errorsOnly === true) {
    const key = request.keyId === undefined ? '' : ' AND EXISTS (SELECT 1 FROM audit_keys AS k WHERE k.key_id = @keyId AND k.seq = s.seq)';
    return `SELECT s.seq FROM audit_search AS s INDEXED BY audit_search_errors WHERE s.seq < @before${and}${key} ORDER BY s.seq DESC LIMIT @limit`;
  }
  if (request.keyId !== undefined) {
    return `SELECT k.seq FROM audit_keys AS k CROSS JOIN audit_search AS s ON s.seq = k.seq WHERE k.key_id = @keyId AND k.seq < @before${and} ORDER BY k.seq DESC LIMIT @limit`;
  }
  return `SELECT s.seq FROM audit_search AS s WHERE s.seq < @before${and} ORDER BY s.seq DESC LIMIT @limit`;
}

/**
 * One page of audit records as CloudTrail events, newest first, with the
 * sequence to ask for the next page (taken from the search tables, so that
 * an entry without its record cannot end the paging early).
 */
export function auditPage(db: Db, request: AuditPageRequest): { records: Record<string, unknown>[]; nextBeforeSequence?: number } {
  const owner = vaultOwner(db);
  const { terms, params } = conditions(request, owner.accountId);
  const found = db.prepare<Params, number>(pageSequences(request, terms)).pluck().all(params);
  const page = found.slice(0, request.limit);
  const read = db.prepare<[number], { record: string; hash: Buffer }>('SELECT record, hash FROM audit WHERE seq = ?');
  const records = page.flatMap((seq) => {
    const row = read.get(seq);
    return row === undefined ? [] : [{ ...toCloudTrail(row.record, row.hash, owner), strongroomSequence: seq }];
  });
  const last = page.at(-1);
  return found.length > request.limit && last !== undefined ? { records, nextBeforeSequence: last } : { records };
}
