import type { Migration } from './types';

/**
 * IAM users of the vault's account: each user (its name, unique in any
 * case as IAM's are; its id and path; its inline identity policies as one
 * JSON object of name to document) and each access key (its owner, status,
 * and its secret wrapped under the vault root key). Both are sealed like
 * the key rows: a user's policies decide what it may do, a key's status
 * whether it works.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'iam',
  up(db) {
    db.exec(`
      CREATE TABLE iam_users (
        user_name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
        user_id TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        policies TEXT NOT NULL,
        mac BLOB
      ) STRICT;
      CREATE TABLE iam_access_keys (
        access_key_id TEXT PRIMARY KEY,
        user_name TEXT NOT NULL COLLATE NOCASE REFERENCES iam_users (user_name),
        status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
        secret BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        mac BLOB
      ) STRICT;
      CREATE INDEX iam_access_keys_by_user ON iam_access_keys (user_name, created_at);
    `);
  },
};
