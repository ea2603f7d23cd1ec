import type { Migration } from './types';

/**
 * Contacts: the people files are encrypted for, each a named public key
 * (an RSA or EC SubjectPublicKeyInfo, or an age recipient) with its
 * fingerprint. Sealed like the key rows: a contact's key changed outside
 * Strongroom would send files to someone else.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'contacts',
  up(db) {
    db.exec(`
      CREATE TABLE contacts (
        name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
        kind TEXT NOT NULL CHECK (kind IN ('rsa', 'ec', 'age')),
        public_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        description TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        mac BLOB
      ) STRICT;
    `);
  },
};
