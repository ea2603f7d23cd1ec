import type { Migration } from './types';

/**
 * Statements that fill the search entry and the keys of audit records: of
 * the row NEW (in the trigger), or of every row of the table (`all`). A
 * record that is not valid JSON gets an empty entry instead of failing the
 * statement (verify reports it).
 */
function fill(all: boolean): string {
  const row = all ? 'a' : 'NEW';
  const record = `CASE WHEN json_valid(${row}.record) THEN ${row}.record ELSE '{}' END`;
  const rows = all ? ' FROM audit AS a' : '';
  return `
    INSERT INTO audit_search (seq, event_time, event_name, caller, is_error, data_plane)
      SELECT ${row}.seq, ${row}.event_time, ${row}.event_name,
        CAST(CASE json_extract(${record}, '$.identity') WHEN 'User' THEN json_extract(${record}, '$.principal') ELSE json_extract(${record}, '$.identity') END AS TEXT),
        json_type(${record}, '$.errorCode') IS NOT NULL,
        json_extract(${record}, '$.managementEvent') IS 0${rows};
    INSERT OR IGNORE INTO audit_keys (key_id, seq)
      SELECT substr(r.value, instr(r.value, ':key/') + 5), ${row}.seq FROM ${all ? 'audit AS a, ' : ''}json_each(${record}, '$.resources') AS r
      WHERE r.type = 'text' AND instr(r.value, ':key/') > 0;`;
}

/**
 * What the audit screen filters on, beside each record, so that a filtered
 * page on a long log reads narrow tables instead of every record's JSON:
 * audit_search (event time and name; the caller, a principal's ARN or its
 * kind, Root or AWSService; whether the call failed; whether it was a
 * cryptographic call) and audit_keys (each key a record names). A trigger
 * fills both for every record written; the migration fills them for the
 * records there are. The chain covers `record` alone: verify checks these
 * tables against it.
 */
export const migration0005: Migration = {
  version: 5,
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
      ${fill(true)}
      CREATE TRIGGER audit_search_of_record AFTER INSERT ON audit BEGIN ${fill(false)}
      END;
    `);
  },
};
