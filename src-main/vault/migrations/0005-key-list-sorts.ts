import type { Migration } from './types';

/**
 * Indexes for the interface's key list: sorted by description
 * (case-insensitive) or by state, each then by key id; and a key's aliases by
 * name (its first alias is what the list sorts by), which also serves every
 * look-up of a key's aliases, so the index on key id alone goes.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'key-list-sorts',
  up(db) {
    db.exec(`
      CREATE INDEX keys_by_description ON keys (description COLLATE NOCASE, key_id);
      CREATE INDEX keys_by_state ON keys (key_state, key_id);
      CREATE INDEX aliases_by_key_and_name ON aliases (key_id, alias_name);
      DROP INDEX aliases_by_key;
    `);
  },
};
