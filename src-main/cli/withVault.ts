import { listenForLockRequests } from '../bootstrap';
import { Vault } from '../kms/lifecycle/vault';
import type { GlobalOptions } from './globalOptions';
import { readSecret } from './prompt';

/**
 * Opens the vault in `home`, runs `fn`, and always closes it (locking and
 * zeroizing). Until this short-lived process exits, "strongroom lock"
 * elsewhere locks this vault rather than killing the process, also while
 * and after it closes (the signal's default action would end it there).
 */
export async function withVault<T>(home: string, fn: (vault: Vault) => T | Promise<T>): Promise<T> {
  const vault = Vault.open(home, 'cli');
  listenForLockRequests(vault);
  try {
    return await fn(vault);
  } finally {
    vault.close();
  }
}

/** Opens and unlocks the vault in `home` with the PIN from --pin-file, STRONGROOM_PIN or a prompt, runs `fn`, and closes it. */
export async function withUnlockedVault<T>({ home, pinFile }: GlobalOptions, fn: (vault: Vault) => T | Promise<T>): Promise<T> {
  return withVault(home, async (vault) => {
    vault.unlock(await readSecret({ file: pinFile, envVar: 'STRONGROOM_PIN' }, 'Token PIN: '));
    return fn(vault);
  });
}
