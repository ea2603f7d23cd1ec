import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { KmsError } from '../../src-shared/errors';

/** A held claim on a vault directory; release it when the vault closes. */
export interface OwnerLock {
  /** Records what the holder is doing (e.g. "locked", "unlocked") for `status` in other processes. */
  setState(state: string): void;
  release(): void;
}

/** Who holds a vault and what they last said they were doing. */
export interface LockHolder {
  pid: number;
  state: string | undefined;
}

/** The process start time from /proc (Linux), so a reused pid is not taken for the holder. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number, started: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const now = startTime(pid);
  return started === undefined || now === undefined || now === started;
}

/** The live process holding the lock file, or undefined when it is free or stale. */
export function lockHolder(file: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const [pidText, started, state] = text.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return isAlive(pid, started || undefined) ? { pid, state } : undefined;
}

/**
 * Claims `file` for this process: one process owns a vault at a time. A
 * second opener gets VaultInUseException naming the holder's pid; a lock
 * left by a process that died is taken over.
 */
export function acquireOwnerLock(file: string): OwnerLock {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = lockHolder(file)?.pid;
      if (holder === process.pid) {
        throw new KmsError('VaultInUseException', 'This vault is already open in this process.');
      }
      if (holder !== undefined) {
        throw new KmsError('VaultInUseException', `The vault is in use by another Strongroom process (pid ${String(holder)}). Close it, or run "strongroom lock" to lock it there.`);
      }
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        // another opener removed it first; try again
      }
      continue;
    }
    const stamp = `${String(process.pid)} ${startTime(process.pid) ?? ''}`;
    writeSync(fd, `${stamp} locked\n`);
    closeSync(fd);
    let released = false;
    return {
      setState(state) {
        if (released) return;
        // Written aside and renamed over the lock, so that a reader never sees it empty.
        writeFileSync(`${file}.${String(process.pid)}`, `${stamp} ${state}\n`, { mode: 0o600 });
        renameSync(`${file}.${String(process.pid)}`, file);
      },
      release() {
        if (released) return;
        released = true;
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      },
    };
  }
  throw new KmsError('VaultInUseException', `Could not claim the vault lock ${file}; another process keeps taking it.`);
}
