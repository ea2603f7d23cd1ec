import { chmodSync, existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Db } from './db';
import { KmsError } from '../../src-shared/errors';

/** A held claim on a vault directory; release it when the vault closes. */
export interface OwnerLock {
  /** Records what the holder is doing (e.g. "locked", "unlocked") for `status` in other processes. */
  setState(state: string): void;
  /** Gives the vault up. `forget` also deletes the lock's files (for an init that failed and leaves nothing behind). */
  release(options?: { forget?: boolean }): void;
}

/**
 * What kind of process holds a vault: a `strongroom` command (which lets go
 * of it when its one call is done), or the desktop app or browser host (which
 * keep it for their lifetime and take the command line's calls on a local
 * channel).
 */
export type HolderKind = 'cli' | 'app' | 'host';

const HOLDER_KINDS: readonly string[] = ['cli', 'app', 'host'] satisfies HolderKind[];

/** Who holds a vault and what they last said they were doing; `kind` is undefined in lock files written before it was recorded. */
export interface LockHolder {
  pid: number;
  state: string | undefined;
  kind: HolderKind | undefined;
}

let ownKind: HolderKind | undefined;

/** Says what kind of holder this process is, in the lock files of the vaults it opens from now on. */
export function declareHolderKind(kind: HolderKind): void {
  ownKind = kind;
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

/** The fields of the lock `file`: `<pid> <start time> <state> <kind>`; undefined when there is none or it names no pid. */
function readLockFile(file: string): { pid: number; started: string | undefined; state: string | undefined; kindText: string | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const [pidText, started, state, kindText] = text.trim().split(' ');
  const pid = Number(pidText);
  return Number.isInteger(pid) && pid > 0 ? { pid, started: started || undefined, state, kindText } : undefined;
}

/** The live process that last claimed the vault whose lock is `file`, or undefined when none is. */
export function lockHolder(file: string): LockHolder | undefined {
  const read = readLockFile(file);
  if (read === undefined) return undefined;
  const { pid, started, state, kindText } = read;
  const kind = kindText !== undefined && HOLDER_KINDS.includes(kindText) ? (kindText as HolderKind) : undefined;
  return isAlive(pid, started) ? { pid, state, kind } : undefined;
}

/** True when process `pid` has `path` open (Linux: a link in /proc/<pid>/fd). */
function hasOpen(pid: number, path: string): boolean {
  try {
    const target = realpathSync(path);
    const fds = `/proc/${String(pid)}/fd`;
    return readdirSync(fds).some((fd) => {
      try {
        return readlinkSync(`${fds}/${fd}`) === target;
      } catch {
        return false; // closed meanwhile
      }
    });
  } catch {
    return false;
  }
}

/**
 * True when `holder`, read from the lock `file`, is the process that holds
 * the vault, so that it may be signalled: on Linux its start time is the one
 * recorded and it has the vault's claim (`file`.sqlite) open, which only the
 * Strongroom process holding the vault does. A pid reused by another
 * process, or written into the file by hand, fails. Where there is no /proc
 * (macOS, Windows) nothing more can be checked than that the pid is alive.
 */
export function isVaultHolder(file: string, holder: LockHolder): boolean {
  if (!existsSync('/proc/self/stat')) return true;
  const read = readLockFile(file);
  return read?.pid === holder.pid && read.started !== undefined && read.started === startTime(holder.pid) && hasOpen(holder.pid, `${file}.sqlite`);
}

const CLAIM_ATTEMPTS = 10;

/** Blocks this thread for `ms` milliseconds. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * One attempt at the claim: an exclusive SQLite lock on `path`, held until
 * the connection closes or the process dies (the kernel drops it then, so a
 * dead holder never blocks anyone). Undefined when another connection, in
 * this process or another, holds it or is taking it.
 *
 * The lock is an fcntl lock, which Linux keeps per process: opening and
 * closing `path` any other way in the holder (even to read it) drops it.
 * Only SQLite may touch this file.
 */
function tryClaim(path: string): Db | undefined {
  const db = connect(path, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('user_version = 1'); // a write: from here on the connection keeps its exclusive lock
    chmodSync(path, 0o600);
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return undefined;
    throw error;
  }
}

/**
 * The claim on the vault whose lock is `file`, tried a few times a few
 * milliseconds apart while no live process says it holds the vault: openers
 * racing each other can make every attempt at one instant fail, and one of
 * them must win.
 */
function claim(file: string): Db | undefined {
  for (let attempt = 1; ; attempt += 1) {
    const db = tryClaim(`${file}.sqlite`);
    if (db !== undefined || attempt === CLAIM_ATTEMPTS || lockHolder(file) !== undefined) return db;
    pause(5 + Math.random() * 20);
  }
}

/** Who `holder` is, in words, for messages. */
export function holderName(holder: LockHolder | undefined): string {
  const pid = holder === undefined ? '' : ` (pid ${String(holder.pid)})`;
  switch (holder?.kind) {
    case 'cli':
      return `another strongroom command${pid}`;
    case 'app':
      return `the Strongroom desktop app${pid}`;
    case 'host':
      return `"strongroom ui"${pid}`;
    case undefined:
      return `another Strongroom process${pid}`;
  }
}

/**
 * Claims the vault whose lock is `file` for this process: one process owns
 * a vault at a time. A second opener gets VaultInUseException naming the
 * holder. `file` itself says who holds the vault (`<pid> <start time>
 * <state> <kind>`, see {@link declareHolderKind}), for other processes to
 * read; it is replaced by rename, so a reader never sees it half-written.
 */
export function acquireOwnerLock(file: string): OwnerLock {
  const held = claim(file);
  if (held === undefined) {
    const holder = lockHolder(file);
    if (holder?.pid === process.pid) throw new KmsError('VaultInUseException', 'This vault is already open in this process.');
    throw new KmsError('VaultInUseException', `The vault is in use by ${holderName(holder)}, and one process at a time may open it. Wait for it to finish, or close it; "strongroom status", "strongroom lock" and "strongroom audit" work meanwhile.`);
  }
  const stamp = `${String(process.pid)} ${startTime(process.pid) ?? ''}`;
  const kind = ownKind;
  const say = (state: string): void => {
    writeFileSync(`${file}.${String(process.pid)}`, `${stamp} ${state}${kind === undefined ? '' : ` ${kind}`}\n`, { mode: 0o600 });
    renameSync(`${file}.${String(process.pid)}`, file);
  };
  try {
    say('locked');
  } catch (error) {
    held.close();
    throw error;
  }
  let released = false;
  return {
    setState(state) {
      if (!released) say(state);
    },
    release({ forget = false } = {}) {
      if (released) return;
      released = true;
      try {
        rmSync(file, { force: true });
      } finally {
        held.close();
        // Only after a failed init, in a home no one else can be opening yet.
        if (forget) for (const suffix of ['.sqlite', '.sqlite-journal']) rmSync(file + suffix, { force: true });
      }
    },
  };
}
