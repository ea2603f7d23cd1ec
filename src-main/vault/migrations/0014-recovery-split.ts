import type { Migration } from './types';

/**
 * The vault's recovery split: the root key wrapped (AES-256-GCM) under a
 * recovery secret that exists only as Shamir shares held by custodians,
 * with the split's id, threshold and custodians. One at a time: a new split
 * replaces the row, which makes the old shares useless. Sealed like the key
 * rows.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'recovery split',
  up(db) {
    db.exec(`
      CREATE TABLE recovery_split (
        only_one INTEGER NOT NULL PRIMARY KEY CHECK (only_one = 1),
        split_id TEXT NOT NULL,
        threshold INTEGER NOT NULL CHECK (threshold >= 2),
        custodians TEXT NOT NULL,
        wrapped_root BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        mac BLOB
      ) STRICT;
    `);
  },
};
