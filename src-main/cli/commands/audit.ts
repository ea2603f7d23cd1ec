import type { KeyObject } from 'node:crypto';
import { createWriteStream, existsSync, linkSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { KmsError } from '../../../src-shared/errors';
import { publicKeyFrom } from '../../audit/checkpoint';
import { exportAuditFile, verifyAuditLog, verifyExport, type VerifyResult } from '../../audit/verify';
import { vaultFiles } from '../../kms/lifecycle/files';
import { openDatabaseReadOnly, type Db } from '../../vault/db';
import { printJson, UsageError } from '../output';
import { withUnlockedVault } from '../withVault';
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

/** Writes the export (a header, every record, every signed checkpoint) as JSON lines to `out`; returns how many records. A reader that stops early (`| head`) ends the export quietly. */
async function exportTo(db: Db, out: Writable): Promise<number> {
  let count = 0;
  function* lines(): Generator<string> {
    for (const { line, isRecord } of exportAuditFile(db)) {
      if (isRecord) count += 1;
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

/** The contents of a file the user named, or ValidationException saying which cannot be read. */
function readNamed(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new KmsError('ValidationException', `Cannot read the ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

/** The audit public key in the PEM file `path`. */
function publicKeyFile(path: string): KeyObject {
  const pem = readNamed(path, 'public key file');
  try {
    return publicKeyFrom(pem);
  } catch {
    throw new KmsError('ValidationException', `${path} does not hold a public key in PEM (-----BEGIN PUBLIC KEY-----).`);
  }
}

interface VerifyFlags {
  export?: string;
  publicKey?: string;
  token?: boolean;
}

/** Verifies what the flags name: an exported file (offline), the vault with its token (unlocking it), or the vault's file alone. */
async function verifyAsAsked(globals: GlobalOptions, flags: VerifyFlags): Promise<VerifyResult> {
  const pinned = flags.publicKey === undefined ? undefined : publicKeyFile(flags.publicKey);
  const options = pinned === undefined ? {} : { publicKey: pinned };
  if (flags.export !== undefined) {
    if (pinned === undefined) throw new UsageError('--export needs --public-key FILE: the audit public key you trust (PEM)');
    if (flags.token === true) throw new UsageError('--export and --token do not go together: an export is verified without the vault');
    const lines = readNamed(flags.export, 'export').split('\n');
    try {
      return verifyExport(lines, pinned);
    } catch (error) {
      throw new KmsError('ValidationException', `${flags.export} is not a Strongroom audit export: ${(error as Error).message}`);
    }
  }
  if (flags.token === true) {
    return withUnlockedVault(globals, (vault) => {
      vault.audit.flush();
      return verifyAuditLog(vault.db, { ...options, token: vault.auditTokenEvidence() });
    });
  }
  return withReadOnlyDb(globals.home, (db) => verifyAuditLog(db, options));
}

/** `strongroom audit verify|export`: the hash-chained, signed audit log. */
export function auditCommand(globals: () => GlobalOptions): Command {
  const audit = new Command('audit').description('Check or export the signed, hash-chained audit log (CloudTrail-shaped records). Needs no PIN, except to compare with the token (--token).');
  audit
    .command('verify')
    .description(
      'Walk the hash chain and check the signed checkpoints; report the first problem (Reason: RecordMissing, RecordChanged, ChainMismatch, Truncated, Emptied, CheckpointMissing, BadSignature, KeyMismatch, RolledBack). Exits 1 when the log fails.',
    )
    .option('--token', "also compare with the checkpoint and audit key the token keeps, which catches the vault's files rolled back to an older copy (unlocks the vault: needs the PIN)")
    .option('--public-key <file>', 'the audit public key you trust (PEM): the log must be signed with it')
    .option('--export <file>', 'verify this exported log instead of the vault, without the vault or its PIN (needs --public-key)')
    .action(async (flags: VerifyFlags) => {
      const result = await verifyAsAsked(globals(), flags);
      printJson(result);
      if (!result.Valid) process.exitCode = 1;
    });
  audit
    .command('export')
    .description('Write the log as JSON lines, to standard output or a file: a header with the audit public key (PEM), every record (oldest first), then every signed checkpoint.')
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
