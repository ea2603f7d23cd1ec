import type { Migration } from './types';

/**
 * The audit keys the vault signed checkpoints with before its current one:
 * a restore or a move to another token makes a new audit key on the new
 * token (the old one stays on the old token), and the checkpoints signed
 * before still verify with the key that signed them. Each row covers the
 * checkpoints after the row before it, up to and including until_checkpoint.
 */
export const migration0015: Migration = {
  version: 15,
  name: 'retired audit keys',
  up(db) {
    db.exec(`
      CREATE TABLE audit_keys_retired (
        until_checkpoint INTEGER PRIMARY KEY,
        mechanism TEXT NOT NULL CHECK (mechanism IN ('ecdsa-p256-sha256', 'rsa-pkcs1-sha256')),
        object_id BLOB NOT NULL,
        public_key BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        retired_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
