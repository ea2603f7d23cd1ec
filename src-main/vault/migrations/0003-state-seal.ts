import type { Migration } from './types';

/**
 * A seal (HMAC under a key derived from the root key) on the vault record,
 * each key and each key version. Rows of an existing vault have none until
 * its first unlock seals them.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'state-seal',
  up(db) {
    db.exec(`
      ALTER TABLE vault ADD COLUMN mac BLOB;
      ALTER TABLE keys ADD COLUMN mac BLOB;
      ALTER TABLE key_versions ADD COLUMN mac BLOB;
    `);
  },
};
