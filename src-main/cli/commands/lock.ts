import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { KmsError } from '../../../src-shared/errors';
import { LOCK_SIGNAL, readStatus } from '../../bootstrap';
import { vaultFiles } from '../../kms/lifecycle/files';
import { isVaultHolder, lockHolder } from '../../vault/ownerLock';
import { printJson } from '../output';
import { statusWithIsoTimestamps } from '../timestamps';
import type { GlobalOptions } from '../globalOptions';

/** `strongroom lock`: asks the process that holds the vault open (the desktop app) to lock it now. */
export function lockCommand(globals: () => GlobalOptions): Command {
  return new Command('lock')
    .description('Lock the vault in the process that holds it open (the desktop app or browser host), zeroizing its keys. Needs no PIN.')
    .action(async () => {
      const { home } = globals();
      const lockFile = vaultFiles(home).lock;
      const holder = lockHolder(lockFile);
      if (holder !== undefined && holder.state !== 'locked') {
        if (!isVaultHolder(lockFile, holder)) {
          throw new KmsError('VaultInUseException', `${lockFile} names pid ${String(holder.pid)}, which is not the Strongroom process holding this vault; nothing was signalled. If no Strongroom app or "strongroom ui" is running, remove ${lockFile}.`);
        }
        process.kill(holder.pid, LOCK_SIGNAL);
        for (let waited = 0; waited < 5000 && lockHolder(lockFile)?.state === 'unlocked'; waited += 50) await sleep(50);
      }
      printJson(statusWithIsoTimestamps(readStatus(home)));
    });
}
