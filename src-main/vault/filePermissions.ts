import { chmodSync, existsSync, statSync } from 'node:fs';
import { KmsError } from '../../src-shared/errors';

/** A mode as chmod takes it: 0644. */
const octal = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

/**
 * Makes the vault's `home` private to this user (0700) and each of its
 * `files` that exists 0600, whatever the umask they were made under or the
 * mode a directory had before.
 */
export function makePrivate(home: string, files: readonly string[]): void {
  chmodSync(home, 0o700);
  for (const file of files) if (existsSync(file)) chmodSync(file, 0o600);
}

/**
 * Refuses a vault whose `home` or any of its `files` other users can write:
 * they could replace its records or its claim. VaultPermissionsException
 * names the path and the chmod that fixes it.
 */
export function refuseWritableByOthers(home: string, files: readonly string[]): void {
  for (const [path, private_] of [[home, '700'], ...files.map((file) => [file, '600'] as const)] as const) {
    let mode: number;
    try {
      mode = statSync(path).mode;
    } catch {
      continue; // not made yet
    }
    if ((mode & 0o022) !== 0) {
      throw new KmsError('VaultPermissionsException', `${path} can be written by other users (mode ${octal(mode)}). Run "chmod ${private_} ${path}" and try again.`);
    }
  }
}
