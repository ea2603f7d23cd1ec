import type { Migration } from './types';

/**
 * Whether a key's material may be wrapped out for another KMS (CreateKey's
 * Exportable, a Strongroom extension): chosen at creation and fixed for the
 * key's life. Every key before it is not exportable. A key's seal covers
 * the flag when it is set, so the seals of keys made before stay valid and
 * a flag set outside Strongroom breaks its key's seal.
 */
export const migration0016: Migration = {
  version: 16,
  name: 'exportable keys',
  up(db) {
    db.exec('ALTER TABLE keys ADD COLUMN exportable INTEGER NOT NULL DEFAULT 0 CHECK (exportable IN (0, 1))');
  },
};
