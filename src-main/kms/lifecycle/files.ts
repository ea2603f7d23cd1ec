import { join } from 'node:path';

/** The files a vault keeps in its home directory. */
export interface VaultFiles {
  home: string;
  db: string;
  lock: string;
}

/** Where the vault in `home` keeps its database and owner lock. */
export function vaultFiles(home: string): VaultFiles {
  return { home, db: join(home, 'vault.sqlite'), lock: join(home, 'vault.lock') };
}

/** Every file of the vault in `files.home` that must be private to its user: the database with SQLite's -wal and -shm beside it, and the owner lock with its claim. */
export function privateFiles(files: VaultFiles): string[] {
  return [files.db, `${files.db}-wal`, `${files.db}-shm`, files.lock, `${files.lock}.sqlite`];
}
