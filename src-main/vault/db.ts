import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { KmsError } from '../../src-shared/errors';
import { MIGRATIONS } from './migrations';
import type { Migration } from './migrations/types';

export type Db = Database.Database;

let addon: string | undefined;

/** better-sqlite3's native addon, by path where it was built; undefined leaves better-sqlite3 to search for it. */
function nativeBinding(): string | undefined {
  addon ??= join(dirname(createRequire(__filename).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
  return existsSync(addon) ? addon : undefined;
}

/**
 * A better-sqlite3 connection to `file`. Its native addon is loaded by path:
 * better-sqlite3's own search for it (the `bindings` package) costs about
 * 10 ms, at every start of the CLI.
 */
export function connect(file: string, options: Database.Options = {}): Db {
  const binding = nativeBinding();
  return new Database(file, binding === undefined ? options : { ...options, nativeBinding: binding });
}

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
    db = connect(file);
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
    return connect(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new KmsError('VaultCorruptException', `The vault file ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}.`);
  }
}
