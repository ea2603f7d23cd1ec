import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { KmsError } from '../../src-shared/errors';

/** A held claim on a vault directory; release it when the vault closes. */
export interface OwnerLock {
  /** Records what the holder is doing (e.g. "locked", "unlocked") for `status` in other processes. */
  setState(state: string): void;
  /** Gives the vault up. `forget` also deletes the lock's files (for an init that failed and leaves nothing behind). */
  release(options?: { forget?: boolean }): void;
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

/** The live process that last claimed the vault whose lock is `file`, or undefined when none is. */
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
 * The claim itself: an exclusive SQLite lock on `<file>.sqlite`, held until
 * the connection closes or the process dies (the kernel drops it then, so a
 * dead holder never blocks anyone). Undefined when another connection, in
 * this process or another, holds it.
 */
function claim(path: string): Database.Database | undefined {
  const db = new Database(path, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('user_version = 1'); // a write: from here on the connection keeps its exclusive lock
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return undefined;
    throw error;
  }
}

/**
 * Claims the vault whose lock is `file` for this process: one process owns
 * a vault at a time. A second opener gets VaultInUseException naming the
 * holder's pid. `file` itself says who holds the vault and in what state,
 * for other processes to read; it is replaced by rename, so a reader never
 * sees it half-written.
 */
export function acquireOwnerLock(file: string): OwnerLock {
  const held = claim(`${file}.sqlite`);
  if (held === undefined) {
    const holder = lockHolder(file)?.pid;
    if (holder === process.pid) throw new KmsError('VaultInUseException', 'This vault is already open in this process.');
    const who = holder === undefined ? 'another Strongroom process' : `another Strongroom process (pid ${String(holder)})`;
    throw new KmsError('VaultInUseException', `The vault is in use by ${who}. Close it, or run "strongroom lock" to lock it there.`);
  }
  const stamp = `${String(process.pid)} ${startTime(process.pid) ?? ''}`;
  const say = (state: string): void => {
    writeFileSync(`${file}.${String(process.pid)}`, `${stamp} ${state}\n`, { mode: 0o600 });
    renameSync(`${file}.${String(process.pid)}`, file);
  };
  say('locked');
  let released = false;
  return {
    setState(state) {
      if (!released) say(state);
    },
    release({ forget = false } = {}) {
      if (released) return;
      released = true;
      rmSync(file, { force: true });
      held.close();
      if (forget) for (const suffix of ['.sqlite', '.sqlite-journal']) rmSync(file + suffix, { force: true });
    },
  };
}
