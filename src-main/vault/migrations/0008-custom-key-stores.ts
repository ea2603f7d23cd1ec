import type { Migration } from './types';

/**
 * Custom key stores (PKCS#11 tokens that hold KMS keys: AWS's CloudHSM key
 * stores): each store's token (a PKCS#11 URI), the id derived from the
 * token's serial that stands for AWS's cluster id, its user PIN wrapped by
 * the root key (none for the vault's own token), and whether it should be
 * connected; and for each key made on a token, its store and object id.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'custom-key-stores',
  up(db) {
    db.exec(`
      CREATE TABLE custom_key_stores (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        token_uri TEXT NOT NULL,
        cluster_id TEXT NOT NULL UNIQUE,
        wrapped_pin BLOB,
        connected INTEGER NOT NULL CHECK (connected IN (0, 1)),
        created_at INTEGER NOT NULL,
        mac BLOB
      ) STRICT;

      CREATE TABLE token_keys (
        key_id TEXT PRIMARY KEY REFERENCES keys (key_id) ON DELETE CASCADE,
        custom_key_store_id TEXT NOT NULL REFERENCES custom_key_stores (id),
        object_id BLOB NOT NULL,
        mac BLOB
      ) STRICT;
      CREATE INDEX token_keys_by_store ON token_keys (custom_key_store_id);
    `);
  },
};
