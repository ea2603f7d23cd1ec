import type { Migration } from './types';

/** The vault's audit signing key (its private half stays on the token) and the signed checkpoints of the audit chain. */
export const migration0004: Migration = {
  version: 4,
  name: 'audit-checkpoints',
  up(db) {
    db.exec(`
      CREATE TABLE audit_key (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        mechanism TEXT NOT NULL CHECK (mechanism IN ('ecdsa-p256-sha256', 'rsa-pkcs1-sha256')),
        object_id BLOB NOT NULL,
        public_key BLOB NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE audit_checkpoints (
        number INTEGER PRIMARY KEY,
        payload TEXT NOT NULL,
        signature BLOB NOT NULL
      ) STRICT;
    `);
  },
};
