import { setTimeout as sleep } from 'node:timers/promises';
import { KmsError } from '../../src-shared/errors';
import { listenForLockRequests, openVault } from '../bootstrap';
import { connectToHolder, type ChannelClient } from '../ipc/localChannel';
import { vaultFiles } from '../kms/lifecycle/files';
import { Vault } from '../kms/lifecycle/vault';
import { holderName, lockHolder, type LockHolder } from '../vault/ownerLock';
import { accessKeyFromEnv } from './credentials';
import { UsageError } from './output';
import type { GlobalOptions } from './globalOptions';
import { readSecret } from './prompt';

/** How long a command waits, by default, for another command to let go of the vault. */
const DEFAULT_WAIT_SECONDS = 10;
/** The longest pause between two looks at the vault while waiting. */
const MAX_PAUSE_MS = 250;

/** Runs a command's work in the desktop app or browser host that holds the vault, through its channel. */
export type ViaHolder<T> = (holder: ChannelClient) => Promise<T>;

/** How long to wait for the vault: STRONGROOM_VAULT_WAIT seconds, else 10. */
function waitLimitMs(): number {
  const text = process.env.STRONGROOM_VAULT_WAIT ?? '';
  if (text === '') return DEFAULT_WAIT_SECONDS * 1000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError(`STRONGROOM_VAULT_WAIT is a number of seconds (${String(DEFAULT_WAIT_SECONDS)} by default), not "${text}"`);
  return seconds * 1000;
}

const ALSO = '"strongroom status", "strongroom lock" and "strongroom audit" work meanwhile.';

/** VaultInUseException for a holder that neither let go of the vault in time nor took the call. */
function stillInUse(holder: LockHolder | undefined, waitedMs: number, forwards: boolean): KmsError {
  const who = holderName(holder);
  const waited = `${String(waitedMs / 1000)} s`;
  if (holder?.kind === 'app' || holder?.kind === 'host') {
    const why = forwards ? `did not take this call on its channel within ${waited} (it may be an older version)` : 'keeps it while it runs and takes only "strongroom kms" calls from the command line';
    return new KmsError('VaultInUseException', `The vault is held by ${who}, which ${why}. Close it and run the command again; ${ALSO}`);
  }
  return new KmsError('VaultInUseException', `The vault is in use by ${who}, which did not let go of it within ${waited}. Run the command again when it has finished, or wait longer with STRONGROOM_VAULT_WAIT=SECONDS; ${ALSO}`);
}

/**
 * The vault in `home`, opened for this command; or, when the desktop app or
 * browser host holds it and `viaHolder` is given, what `viaHolder` got from
 * it. While another command holds the vault, or the holder's channel does
 * not answer yet, it looks again after a short pause that doubles each time,
 * until the wait limit; then VaultInUseException. A command that cannot go
 * through the holder (no `viaHolder`) is refused at once by an app or host,
 * which will not let go soon.
 */
async function openOrReach<T>(home: string, viaHolder: ViaHolder<T> | undefined): Promise<Vault | { answer: T }> {
  const limit = waitLimitMs();
  const deadline = Date.now() + limit;
  for (let pause = 10; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
    try {
      return openVault(home, 'cli');
    } catch (error) {
      if (!(error instanceof KmsError && error.type === 'VaultInUseException')) throw error;
    }
    const holder = lockHolder(vaultFiles(home).lock);
    const longRunning = holder?.kind === 'app' || holder?.kind === 'host';
    if (longRunning && viaHolder === undefined) throw stillInUse(holder, limit, false);
    const channel = longRunning ? await connectToHolder(home, accessKeyFromEnv()) : undefined;
    if (channel !== undefined && viaHolder !== undefined) {
      try {
        return { answer: await viaHolder(channel) };
      } finally {
        channel.close();
      }
    }
    if (Date.now() >= deadline) throw stillInUse(holder, limit, true);
    await sleep(pause * (0.5 + Math.random()));
  }
}

/**
 * Opens the vault in `home`, runs `fn`, and always closes it (locking and
 * zeroizing); waits for another command that holds the vault, and runs
 * `viaHolder` instead when the desktop app or browser host holds it (see
 * {@link openOrReach}). Until this short-lived process exits,
 * "strongroom lock" elsewhere locks this vault rather than killing the
 * process, also while and after it closes (the signal's default action
 * would end it there).
 */
export async function withVault<T>(home: string, fn: (vault: Vault) => T | Promise<T>, viaHolder?: ViaHolder<T>): Promise<T> {
  const opened = await openOrReach(home, viaHolder);
  if (!(opened instanceof Vault)) return opened.answer;
  listenForLockRequests(opened);
  try {
    return await fn(opened);
  } finally {
    opened.close();
  }
}

/**
 * Opens and unlocks the vault in `home` with the PIN from --pin-file,
 * STRONGROOM_PIN or a prompt, runs `fn`, and closes it; as {@link withVault},
 * runs `viaHolder` instead, with no PIN, when the app holds the vault.
 */
export async function withUnlockedVault<T>({ home, pinFile }: GlobalOptions, fn: (vault: Vault) => T | Promise<T>, viaHolder?: ViaHolder<T>): Promise<T> {
  return withVault(
    home,
    async (vault) => {
      vault.unlock(await readSecret({ file: pinFile, envVar: 'STRONGROOM_PIN' }, vault.record.tokenKind === 'embedded' ? 'Passphrase: ' : 'Token PIN: '));
      return fn(vault);
    },
    viaHolder,
  );
}
