import { realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, sep } from 'node:path';
import { KmsError } from '../../src-shared/errors';

/**
 * Where PKCS#11 modules may be loaded from without further setting: the
 * system's library directories (and their subdirectories), which only root
 * can write. The vault's own files never add to it: a module path stored in
 * the vault is only a choice among these.
 */
export const SYSTEM_MODULE_DIRS = ['/usr/lib', '/usr/lib64', '/usr/lib32', '/lib', '/lib64', '/usr/local/lib', '/opt', '/opt/homebrew/lib', '/Library', '/usr/local/Cellar'];

/** The environment variable that allows more directories, separated by ':' (set by the user, never read from the vault). */
export const ALLOW_ENV = 'STRONGROOM_PKCS11_ALLOW';

function allowedDirs(): string[] {
  const extra = (process.env[ALLOW_ENV] ?? '').split(':').filter((dir) => dir.startsWith('/'));
  return [...SYSTEM_MODULE_DIRS, ...extra].flatMap((dir) => {
    try {
      return [realpathSync(dir)];
    } catch {
      return [];
    }
  });
}

function refuse(path: string, reason: string): KmsError {
  return new KmsError(
    'TokenModuleNotAllowedException',
    `The PKCS#11 module ${path} is not loaded: ${reason}. Modules load only from the system library directories (${SYSTEM_MODULE_DIRS.join(', ')}) or from directories named in ${ALLOW_ENV} (separated by ':'), and only files owned by root or you that no one else can write.`,
  );
}

/** Owned by root or this user, and writable by no one else. */
function safelyOwned(stats: Stats): boolean {
  const uid = process.getuid?.() ?? 0;
  return (stats.uid === 0 || stats.uid === uid) && (stats.mode & 0o022) === 0;
}

/**
 * Throws TokenModuleNotAllowedException unless `path` (after symbolic
 * links) is a regular file in an allowed directory, and neither it nor any
 * directory between it and that directory can be written by anyone but root
 * or this user. Like ssh-agent's allowed providers: a module is native code
 * that reads the PIN, so a changed path must not be able to name any file.
 */
export function assertModuleAllowed(path: string): void {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw refuse(path, 'it does not exist');
  }
  const root = allowedDirs().find((dir) => real.startsWith(dir === sep ? dir : dir + sep));
  if (root === undefined) throw refuse(path, real === path ? 'it is not in an allowed directory' : `it resolves to ${real}, which is not in an allowed directory`);
  const stats = statSync(real);
  if (!stats.isFile()) throw refuse(path, 'it is not a regular file');
  if (!safelyOwned(stats)) throw refuse(path, 'others can write it, or it belongs to another user');
  for (let dir = dirname(real); dir.length >= root.length; dir = dirname(dir)) {
    const dirStats = statSync(dir);
    if (!safelyOwned(dirStats) && (dirStats.mode & 0o1000) === 0) throw refuse(path, `others can write ${dir}, or it belongs to another user`);
    if (dir === root) break;
  }
}
