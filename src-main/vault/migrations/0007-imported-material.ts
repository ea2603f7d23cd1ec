import type { Migration } from './types';

/**
 * Imported key material (Origin EXTERNAL): the parameters GetParametersForImport
 * hands out (each a wrapping key pair, its private key wrapped by the root
 * key, valid 24 hours), and per key what was imported: a keyed fingerprint of
 * the material (a re-import must bring the same), the id it is known by, and
 * when it expires.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'imported-material',
  up(db) {
    db.exec(`
      CREATE TABLE import_parameters (
        token_id TEXT PRIMARY KEY,
        key_id TEXT NOT NULL REFERENCES keys (key_id) ON DELETE CASCADE,
        wrapping_algorithm TEXT NOT NULL,
        wrapping_key_spec TEXT NOT NULL,
        wrapped_private_key BLOB NOT NULL,
        valid_to INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX import_parameters_by_expiry ON import_parameters (valid_to);

      CREATE TABLE imported_material (
        key_id TEXT PRIMARY KEY REFERENCES keys (key_id) ON DELETE CASCADE,
        material_id TEXT NOT NULL,
        fingerprint BLOB NOT NULL,
        expiration_model TEXT CHECK (expiration_model IN ('KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE')),
        valid_to INTEGER,
        mac BLOB
      ) STRICT;
      CREATE INDEX imported_material_by_expiry ON imported_material (valid_to) WHERE valid_to IS NOT NULL;
    `);
  },
};
