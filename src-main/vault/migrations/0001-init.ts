import type { Migration } from './types';

/** The vault's identity, its token and its sealed root key; settings. */
export const migration0001: Migration = {
  version: 1,
  name: 'init',
  up(db) {
    db.exec(`
      CREATE TABLE vault (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        vault_id TEXT NOT NULL,
        account_id TEXT NOT NULL CHECK (length(account_id) = 12),
        region TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        token_kind TEXT NOT NULL CHECK (token_kind IN ('embedded', 'external')),
        module_path TEXT,
        token_label TEXT NOT NULL,
        token_serial TEXT NOT NULL,
        root_mechanism TEXT NOT NULL CHECK (root_mechanism IN ('aes-gcm', 'rsa-oaep-sha256', 'rsa-oaep-sha1')),
        root_object_id BLOB NOT NULL,
        root_wrapped BLOB NOT NULL
      ) STRICT;
      CREATE TABLE settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
