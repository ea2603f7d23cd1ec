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
