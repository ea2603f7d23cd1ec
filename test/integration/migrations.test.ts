import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KmsError } from '../../src-shared/errors';
import { latestVersion, migrate, openDatabase } from '../../src-main/vault/db';
import { MIGRATIONS } from '../../src-main/vault/migrations';
import { tempDir } from '../helpers/temp';

describe('migrations', () => {
  it('are numbered 1, 2, 3… with no gap', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('0001 creates STRICT tables in a new vault file, in WAL mode, and records user_version', () => {
    const db = openDatabase(join(tempDir(), 'v.sqlite'), MIGRATIONS.slice(0, 1));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'").all();
    expect(tables).toEqual(expect.arrayContaining([{ name: 'vault', strict: 1 }, { name: 'settings', strict: 1 }]));
    expect(() => db.prepare("INSERT INTO settings (name, value) VALUES ('x', x'00')").run()).toThrow(/cannot store BLOB value in TEXT column/);
    db.close();
  });

  it('bring every earlier version up to the latest, keeping the data', () => {
    for (let from = 1; from < latestVersion(); from += 1) {
      const file = join(tempDir(), `from-${String(from)}.sqlite`);
      openDatabase(file, MIGRATIONS.slice(0, from)).close();
      const db = openDatabase(file);
      expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
      db.close();
    }
    const db = openDatabase(join(tempDir(), 'fresh.sqlite'));
    db.prepare("INSERT INTO settings (name, value) VALUES ('kept', 'yes')").run();
    migrate(db); // running again is a no-op
    expect(db.prepare("SELECT value FROM settings WHERE name = 'kept'").get()).toEqual({ value: 'yes' });
    db.close();
  });

  it('refuse a vault made by a newer Strongroom', () => {
    const file = join(tempDir(), 'newer.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${String(latestVersion() + 1)}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(KmsError);
    expect(() => openDatabase(file)).toThrow(/newer than this Strongroom understands/);
  });

  it('refuse a file that is not a database', async () => {
    const file = join(tempDir(), 'junk.sqlite');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'this is not sqlite '.repeat(100));
    expect(() => openDatabase(file)).toThrow(/damaged or not a Strongroom vault/);
  });

  it('roll back a step that fails, leaving the version where it was', () => {
    const file = join(tempDir(), 'fail.sqlite');
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', up: (db: Database.Database) => db.exec('CREATE TABLE half (a TEXT) STRICT; SELECT * FROM missing_table;') }];
    expect(() => openDatabase(file, broken)).toThrow();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half'").get()).toEqual({ n: 0 });
    db.close();
  });
});
