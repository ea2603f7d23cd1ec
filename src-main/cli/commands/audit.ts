import { createWriteStream, existsSync, linkSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { KmsError } from '../../../src-shared/errors';
import { exportAuditLog, verifyAuditLog } from '../../audit/verify';
import { vaultFiles } from '../../kms/lifecycle/files';
import { openDatabaseReadOnly, type Db } from '../../vault/db';
import { printJson } from '../output';
import type { GlobalOptions } from '../globalOptions';

/** Opens the vault file read-only (works while the desktop app holds it), runs `fn` to its end, and closes it. */
async function withReadOnlyDb<T>(home: string, fn: (db: Db) => T | Promise<T>): Promise<T> {
  const file = vaultFiles(home).db;
  if (!existsSync(file)) throw new KmsError('VaultNotInitializedException', `There is no vault in ${home}.`);
  const db = openDatabaseReadOnly(file);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/** ValidationException unless `path` is free for a new export (export never overwrites a file). */
function refuseExisting(path: string): void {
  if (existsSync(path)) throw new KmsError('ValidationException', `Cannot export to ${path}: it exists, and export does not overwrite a file.`);
}

/** `path.partial`, opened for writing an export to `path` into; ValidationException when it cannot be created there. */
async function partialFile(path: string): Promise<Writable> {
  const out = createWriteStream(`${path}.partial`, { mode: 0o600 });
  try {
    await once(out, 'open');
  } catch (error) {
    throw new KmsError('ValidationException', `Cannot export to ${path}: it cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  return out;
}

/** Writes every record as a JSON line to `out`; returns how many. A reader that stops early (`| head`) ends the export quietly. */
async function exportTo(db: Db, out: Writable): Promise<number> {
  let count = 0;
  function* lines(): Generator<string> {
    for (const line of exportAuditLog(db)) {
      count += 1;
      yield `${line}\n`;
    }
  }
  const keepStdoutOpen = out === process.stdout;
  try {
    await pipeline(Readable.from(lines()), out, { end: !keepStdoutOpen });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return count;
    throw new KmsError('KMSInternalException', `The export failed: ${(error as Error).message}.`);
  }
  return count;
}

/**
 * Exports into the new file `path`: written as `path.partial`, then linked
 * into place only when complete, so `path` never holds a partial export.
 */
async function exportToFile(db: Db, path: string): Promise<number> {
  refuseExisting(path);
  const out = await partialFile(path);
  try {
    const count = await exportTo(db, out);
    linkSync(`${path}.partial`, path); // fails, rather than overwrites, if the file appeared meanwhile
    return count;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') refuseExisting(path);
    throw error;
  } finally {
    rmSync(`${path}.partial`, { force: true });
  }
}

/** `strongroom audit verify|export`: the hash-chained audit log. */
export function auditCommand(globals: () => GlobalOptions): Command {
  const audit = new Command('audit').description('Check or export the hash-chained audit log (CloudTrail-shaped records). Needs no PIN.');
  audit
    .command('verify')
    .description('Walk the hash chain and report the first record that is missing or was changed. Exits 1 when the chain is broken.')
    .action(async () => {
      const result = await withReadOnlyDb(globals().home, verifyAuditLog);
      printJson(result);
      if (!result.Valid) process.exitCode = 1;
    });
  audit
    .command('export')
    .description('Write every record as one JSON line (oldest first), to standard output or a file.')
    .option('-o, --output <file>', 'write to this new file instead of standard output (refuses to overwrite; FILE.partial until complete)')
    .action(async (flags: { output?: string }) => {
      const path = flags.output;
      await withReadOnlyDb(globals().home, async (db) => {
        if (path === undefined) await exportTo(db, process.stdout);
        else process.stderr.write(`${String(await exportToFile(db, path))} records written to ${path}\n`);
      });
    });
  return audit;
}
