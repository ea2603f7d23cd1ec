import { existsSync } from 'node:fs';
import type { VaultStatus } from '../src-shared/vault';
import { vaultFiles } from './kms/lifecycle/files';
import { autoLockSeconds, describeRecord, type Vault } from './kms/lifecycle/vault';
import { lockStatus, readLastLock } from './kms/lifecycle/lastLock';
import { openDatabaseReadOnly } from './vault/db';
import { lockHolder } from './vault/ownerLock';
import { readVault } from './vault/vaultRepo';

export { resolveHome } from './paths';

/** The signal another process sends to ask the holder of a vault to lock it. */
export const LOCK_SIGNAL = 'SIGUSR2';

/**
 * Makes this process lock `vault` when another process sends
 * {@link LOCK_SIGNAL}, rather than die of it (the signal's default action).
 * Returns the function that stops listening: the desktop app and browser
 * host call it when they close a vault; a CLI command listens until it exits.
 */
export function listenForLockRequests(vault: Vault): () => void {
  const onSignal = (): void => {
    vault.lock('requested');
  };
  process.on(LOCK_SIGNAL, onSignal);
  return () => process.off(LOCK_SIGNAL, onSignal);
}

/** The status of the vault in `home` without opening it for ownership: works while another process holds it. */
export function readStatus(home: string): VaultStatus {
  const files = vaultFiles(home);
  if (!existsSync(files.db)) return { Home: home, Initialized: false, State: 'Uninitialized' };
  const db = openDatabaseReadOnly(files.db);
  try {
    let record;
    try {
      record = readVault(db);
    } catch {
      record = undefined; // a file whose schema was never created
    }
    if (record === undefined) return { Home: home, Initialized: false, State: 'Uninitialized' };
    const holder = lockHolder(files.lock);
    const unlocked = holder?.state === 'unlocked';
    return {
      ...describeRecord(home, record),
      State: unlocked ? 'Unlocked' : 'Locked',
      AutoLockSeconds: autoLockSeconds(db),
      ...(holder ? { HeldByPid: holder.pid } : {}),
      ...(unlocked ? {} : lockStatus(readLastLock(db))),
    };
  } finally {
    db.close();
  }
}
