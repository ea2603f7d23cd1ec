import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { KmsError } from '../../src-shared/errors';
import type { Folder } from '../../src-shared/files/jobs';

const LISTED = 2000;

/** Bytes of an entry that can be read; undefined for one that cannot (a broken link, no permission). */
function sizeOf(path: string): { kind: 'file' | 'folder'; size: number } | undefined {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return { kind: 'folder', size: 0 };
    return stat.isFile() ? { kind: 'file', size: stat.size } : undefined;
  } catch {
    return undefined;
  }
}

/** The folders and files of `dir` (the home folder when none is given), folders first, by name, without hidden ones, for the interface to pick files and folders from. */
export function browse(dir?: string): Folder {
  const at = resolve(dir ?? homedir());
  let names: string[];
  try {
    names = readdirSync(at);
  } catch {
    throw new KmsError('NotFoundException', `${at} is not a folder that can be read.`);
  }
  const entries = names
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => {
      const entry = sizeOf(join(at, name));
      return entry === undefined ? [] : [{ name, path: join(at, name), ...entry }];
    })
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
  return { dir: at, ...(dirname(at) === at ? {} : { parent: dirname(at) }), entries: entries.slice(0, LISTED), truncated: entries.length > LISTED };
}
