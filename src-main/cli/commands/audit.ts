import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { Command } from 'commander';
import { KmsError } from '../../../src-shared/errors';
import { exportAuditLog, verifyAuditLog } from '../../audit/verify';
import { vaultFiles } from '../../kms/lifecycle/files';
import { openDatabaseReadOnly, type Db } from '../../vault/db';
import { printJson } from '../output';
import type { GlobalOptions } from '../program';

/** Opens the vault file read-only (works while the desktop app holds it). */
function withReadOnlyDb<T>(home: string, fn: (db: Db) => T): T {
  const file = vaultFiles(home).db;
  if (!existsSync(file)) throw new KmsError('VaultNotInitializedException', `There is no vault in ${home}.`);
  const db = openDatabaseReadOnly(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** `strongroom audit verify|export`: the hash-chained audit log. */
export function auditCommand(globals: () => GlobalOptions): Command {
  const audit = new Command('audit').description('Check or export the hash-chained audit log (CloudTrail-shaped records). Needs no PIN.');
  audit
    .command('verify')
    .description('Walk the hash chain and report the first record that is missing or was changed. Exits 1 when the chain is broken.')
    .action(() => {
      const result = withReadOnlyDb(globals().home, verifyAuditLog);
      printJson(result);
      if (!result.Valid) process.exitCode = 1;
    });
  audit
    .command('export')
    .description('Write every record as one JSON line (oldest first), to standard output or a file.')
    .option('-o, --output <file>', 'write to this file instead of standard output (refuses to overwrite)')
    .action(async (flags: { output?: string }) => {
      const out = flags.output === undefined ? process.stdout : createWriteStream(flags.output, { flags: 'wx', mode: 0o600 });
      let count = 0;
      await withReadOnlyDb(globals().home, async (db) => {
        for (const line of exportAuditLog(db)) {
          if (!out.write(`${line}\n`)) await once(out, 'drain');
          count += 1;
        }
      });
      if (out !== process.stdout) {
        out.end();
        await once(out, 'finish');
        process.stderr.write(`${String(count)} records written to ${String(flags.output)}\n`);
      }
    });
  return audit;
}
