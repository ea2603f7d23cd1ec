import { createWriteStream, existsSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { KmsError } from '../../../src-shared/errors';
import { exportAuditLog, verifyAuditLog } from '../../audit/verify';
import { vaultFiles } from '../../kms/lifecycle/files';
import { openDatabaseReadOnly, type Db } from '../../vault/db';
import { printJson } from '../output';
import type { GlobalOptions } from '../program';

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

/** A new file to export into, opened before anything is read; ValidationException when it cannot be created (export never overwrites). */
async function newOutputFile(path: string): Promise<Writable> {
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  try {
    await once(out, 'open');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EEXIST' ? 'it exists, and export does not overwrite a file' : `it cannot be created (${code})`;
    throw new KmsError('ValidationException', `Cannot export to ${path}: ${why}.`);
  }
  return out;
}

/** Writes every record as a JSON line to `out`; returns how many. A reader that stops early (`| head`) ends the export quietly. */
async function exportTo(db: Db, out: Writable): Promise<number> {
  let count = 0;
  const lines = Readable.from(
    (function* () {
      for (const line of exportAuditLog(db)) {
        count += 1;
        yield `${line}\n`;
      }
    })(),
  );
  try {
    await pipeline(lines, out, { end: out !== process.stdout });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return count;
    throw new KmsError('KMSInternalException', `The export stopped after ${String(count)} records: ${(error as Error).message}.`);
  }
  return count;
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
    .option('-o, --output <file>', 'write to this new file instead of standard output (refuses to overwrite)')
    .action(async (flags: { output?: string }) => {
      const path = flags.output;
      await withReadOnlyDb(globals().home, async (db) => {
        if (path === undefined) return exportTo(db, process.stdout);
        const out = await newOutputFile(path);
        try {
          process.stderr.write(`${String(await exportTo(db, out))} records written to ${path}\n`);
        } catch (error) {
          rmSync(path, { force: true }); // no half-written export left behind
          throw error;
        }
      });
    });
  return audit;
}
