import type { Migration } from './types';

/**
 * Multi-Region keys across vaults: a key's MultiRegionConfiguration (JSON:
 * whether it is the primary or a replica, the primary's ARN and Region, the
 * replicas'), null for a single-Region key; its seal covers it once set.
 * And the replication requests a vault has given out: each a wrapping key
 * pair (the private key wrapped by the root key), valid 24 hours, that a
 * primary's vault wraps a replica's material to.
 */
export const migration0017: Migration = {
  version: 17,
  name: 'multi-region keys',
  up(db) {
    db.exec(`
      ALTER TABLE keys ADD COLUMN multi_region TEXT CHECK (multi_region IS NULL OR json_valid(multi_region));
      CREATE TABLE replication_requests (
        request_id TEXT PRIMARY KEY,
        wrapped_private_key BLOB NOT NULL,
        valid_to INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
