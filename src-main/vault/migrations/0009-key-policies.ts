import type { Migration } from './types';

/**
 * Key policies: each key's one policy (named "default", as AWS names it),
 * as the JSON text it was given, sealed like the key rows. A key without a
 * row has AWS's default key policy (the account root may do everything).
 */
export const migration0009: Migration = {
  version: 9,
  name: 'key-policies',
  up(db) {
    db.exec(`
      CREATE TABLE key_policies (
        key_id TEXT PRIMARY KEY REFERENCES keys (key_id) ON DELETE CASCADE,
        document TEXT NOT NULL,
        mac BLOB
      ) STRICT;
    `);
  },
};
