import type { Migration } from './types';

/** A record's JSON, or an empty object where it is not valid JSON (verify reports such a record). */
const RECORD = `CASE WHEN json_valid(a.record) THEN a.record ELSE '{}' END`;

/**
 * What the audit screen filters on, beside each record, so that a filtered
 * page on a long log reads narrow tables instead of every record's JSON:
 * audit_search (event time and name; the caller, a principal's ARN or its
 * kind, Root, AWSService or Unknown; whether the call failed; whether it was
 * a cryptographic call) and audit_keys (each key a record names). The audit
 * writer fills both for every record it writes; this fills them for the
 * records there are. The chain covers `record` alone: verify checks these
 * tables against it.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'audit-search',
  up(db) {
    db.exec(`
      CREATE TABLE audit_search (
        seq INTEGER PRIMARY KEY,
        event_time TEXT NOT NULL,
        event_name TEXT NOT NULL,
        caller TEXT,
        is_error INTEGER NOT NULL,
        data_plane INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX audit_search_errors ON audit_search (is_error) WHERE is_error = 1;
      CREATE TABLE audit_keys (
        key_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (key_id, seq)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO audit_search (seq, event_time, event_name, caller, is_error, data_plane)
        SELECT a.seq, a.event_time, a.event_name,
          CAST(CASE json_extract(${RECORD}, '$.identity') WHEN 'User' THEN json_extract(${RECORD}, '$.principal') ELSE json_extract(${RECORD}, '$.identity') END AS TEXT),
          json_type(${RECORD}, '$.errorCode') IS NOT NULL,
          json_extract(${RECORD}, '$.managementEvent') IS 0
        FROM audit AS a;
      INSERT OR IGNORE INTO audit_keys (key_id, seq)
        SELECT substr(r.value, instr(r.value, ':key/') + 5), a.seq FROM audit AS a, json_each(${RECORD}, '$.resources') AS r
        WHERE r.type = 'text' AND instr(r.value, ':key/') > 0;
    `);
  },
};
