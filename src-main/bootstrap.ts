import { existsSync } from 'node:fs';
import { rootCaller, type Caller, type Door } from '../src-shared/caller';
import type { VaultStatus } from '../src-shared/vault';
import { runMaintenance } from './kms/engine/maintenance';
import { vaultFiles } from './kms/lifecycle/files';
import { autoLockSeconds, describeRecord, Vault } from './kms/lifecycle/vault';
import { lockStatus, readLastLock } from './kms/lifecycle/lastLock';
import { unlockAttemptsStatus } from './kms/lifecycle/unlockAttempts';
import { openDatabaseReadOnly } from './vault/db';
import { lockHolder } from './vault/ownerLock';
import { readVault } from './vault/vaultRepo';

export { resolveHome } from './paths';

/**
 * The composition root: opens the vault in `home` for this process, held
 * through `door`, with the services the core runs on its own (due deletions
 * and rotations). Every door opens its vault here.
 */
export function openVault(home: string, door: Door): Vault {
  return Vault.open(home, door, { maintain: runMaintenance });
}

/** The caller of a door whose user unlocked the vault with the token PIN: the vault's account root. */
export function accountRoot(vault: Vault, door: Door): Caller {
  return rootCaller(vault.record.accountId, door);
}

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
      ...unlockAttemptsStatus(db, Date.now()),
    };
  } finally {
    db.close();
  }
}
