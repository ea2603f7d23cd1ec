import type { Migration } from './types';

/**
 * Age identities: the keys that open age files sent to the vault's owner,
 * each a name, its kind and recipient, and its 32-byte secret wrapped
 * (AES-256-GCM) under the root key, bound to its recipient. Sealed like the
 * key rows.
 */
export const migration0013: Migration = {
  version: 13,
  name: 'age identities',
  up(db) {
    db.exec(`
      CREATE TABLE age_identities (
        name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
        kind TEXT NOT NULL CHECK (kind IN ('X25519', 'MLKEM768X25519')),
        recipient TEXT NOT NULL UNIQUE,
        wrapped_secret BLOB NOT NULL,
        description TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        mac BLOB
      ) STRICT;
    `);
  },
};
