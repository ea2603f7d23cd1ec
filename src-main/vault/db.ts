import Database from 'better-sqlite3';
import { KmsError } from '../../src-shared/errors';
import { MIGRATIONS } from './migrations';
import type { Migration } from './migrations/types';

export type Db = Database.Database;

/** The schema version this build writes. */
export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}

/**
 * Brings the schema up to the newest migration, one transaction per step,
 * recording each in PRAGMA user_version. Refuses a vault made by a newer build.
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = latestVersion(migrations);
  if (current > latest) {
    throw new KmsError('VaultCorruptException', `This vault has schema version ${String(current)}, newer than this Strongroom understands (${String(latest)}). Update Strongroom.`);
  }
  for (const step of migrations) {
    if (step.version <= current) continue;
    db.transaction(() => {
      step.up(db);
      db.pragma(`user_version = ${String(step.version)}`);
    })();
  }
}

/** Opens (creating if needed) the vault database in WAL mode with foreign keys on, and migrates it. */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  let db: Db;
  try {
    db = new Database(file);
  } catch (error) {
    throw new KmsError('VaultCorruptException', `The vault file ${file} cannot be opened: ${error instanceof Error ? error.message : String(error)}.`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof KmsError) throw error;
    throw new KmsError('VaultCorruptException', `The vault file ${file} is damaged or not a Strongroom vault: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

/** Opens the vault database read-only without migrating (for status while another process holds it). */
export function openDatabaseReadOnly(file: string): Db {
  try {
    return new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new KmsError('VaultCorruptException', `The vault file ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}.`);
  }
}
