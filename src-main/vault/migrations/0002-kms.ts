import type { Migration } from './types';

/** KMS keys, their backing-key versions, aliases, tags, and the hash-chained audit log. */
export const migration0002: Migration = {
  version: 2,
  name: 'kms',
  up(db) {
    db.exec(`
      CREATE TABLE keys (
        key_id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        description TEXT NOT NULL,
        key_spec TEXT NOT NULL,
        key_usage TEXT NOT NULL,
        origin TEXT NOT NULL,
        key_manager TEXT NOT NULL CHECK (key_manager IN ('AWS', 'CUSTOMER')),
        key_state TEXT NOT NULL CHECK (key_state IN ('Enabled', 'Disabled', 'PendingDeletion', 'PendingImport')),
        deletion_date INTEGER,
        pending_window_days INTEGER,
        rotation_period_days INTEGER,
        next_rotation_at INTEGER,
        on_demand_rotations INTEGER NOT NULL DEFAULT 0,
        current_version INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX keys_by_creation ON keys (created_at, key_id);
      CREATE INDEX keys_by_deletion ON keys (deletion_date) WHERE deletion_date IS NOT NULL;
      CREATE INDEX keys_by_rotation ON keys (next_rotation_at) WHERE next_rotation_at IS NOT NULL;

      CREATE TABLE key_versions (
        key_id TEXT NOT NULL REFERENCES keys (key_id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        material_id TEXT NOT NULL,
        wrapped BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        rotation_type TEXT CHECK (rotation_type IN ('AUTOMATIC', 'ON_DEMAND')),
        PRIMARY KEY (key_id, version)
      ) STRICT;

      CREATE TABLE aliases (
        alias_name TEXT PRIMARY KEY,
        key_id TEXT NOT NULL REFERENCES keys (key_id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX aliases_by_key ON aliases (key_id);

      CREATE TABLE tags (
        key_id TEXT NOT NULL REFERENCES keys (key_id) ON DELETE CASCADE,
        tag_key TEXT NOT NULL,
        tag_value TEXT NOT NULL,
        PRIMARY KEY (key_id, tag_key)
      ) STRICT;

      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        event_time TEXT NOT NULL,
        event_name TEXT NOT NULL,
        record TEXT NOT NULL,
        hash BLOB NOT NULL
      ) STRICT;
    `);
  },
};
