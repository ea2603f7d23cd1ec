import type { Migration } from './types';

/**
 * Grants: each grant of a key (its grantee, retiring principal, operations,
 * encryption context constraints, optional name and issuing account),
 * sealed like the key rows. A retired or revoked grant is deleted, as AWS
 * deletes it.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'grants',
  up(db) {
    db.exec(`
      CREATE TABLE grants (
        grant_id TEXT PRIMARY KEY,
        key_id TEXT NOT NULL REFERENCES keys (key_id) ON DELETE CASCADE,
        name TEXT,
        grantee TEXT NOT NULL,
        retiring TEXT,
        operations TEXT NOT NULL,
        constraints TEXT,
        issuing_account TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        mac BLOB
      ) STRICT;
      CREATE INDEX grants_by_key ON grants (key_id, created_at, grant_id);
      CREATE INDEX grants_by_retiring ON grants (retiring, created_at, grant_id);
    `);
  },
};
