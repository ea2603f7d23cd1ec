// Attacks on the audit log by someone who can write the vault's files but
// does not know the PIN: each must be caught by `strongroom audit verify`,
// which names what was done.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign, verify as verifySignature } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { chainHash } from '../../src-main/audit/auditWriter.cjs';
import { createAuditKey, signOnToken } from '../../src-main/hsm/auditKey';
import { embeddedTokenPaths } from '../../src-main/hsm/embedded';
import { publicKeyFrom } from '../../src-main/audit/checkpoint';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import { openVault } from '../../src-main/bootstrap';
import { b64, call, newKey } from '../helpers/kms';
import { cli } from '../helpers/cli';
import { pkcs11Tool } from '../helpers/softhsm';
import { tempDir } from '../helpers/temp';
import { embeddedTokenPin, makeVault, PIN } from '../helpers/vault';

/** A closed vault with a few dozen records, locked (and so checkpointed) twice. */
function vaultWithHistory(): string {
  const { home, vault } = makeVault();
  vault.unlock(PIN);
  const id = newKey(vault, 'audited');
  for (let i = 0; i < 8; i += 1) call(vault, 'Encrypt', { KeyId: id, Plaintext: b64(`secret-${String(i)}`) });
  vault.lock();
  vault.unlock(PIN);
  for (let i = 0; i < 4; i += 1) call(vault, 'GenerateRandom', { NumberOfBytes: 8 });
  vault.close();
  return home;
}

interface Verdict {
  Valid: boolean;
  Reason?: string;
  Problem?: string;
  Records: number;
}

function verify(home: string, ...args: string[]): Verdict {
  const result = cli(['audit', 'verify', ...args], { STRONGROOM_HOME: home, STRONGROOM_PIN: PIN });
  expect(result.json, result.stderr).toBeDefined();
  expect(result.status).toBe((result.json as Verdict).Valid ? 0 : 1);
  return result.json as Verdict;
}

/** Opens the vault file as an attacker would (no PIN), runs `fn`, then rebuilds every row's chain hash so the unkeyed chain is consistent again. */
function tamperAndRechain(home: string, fn: (db: Database.Database) => void): void {
  const db = new Database(vaultFiles(home).db);
  try {
    db.transaction(() => {
      fn(db);
      let previous: Buffer = Buffer.alloc(32);
      const rows = db.prepare('SELECT seq, record FROM audit ORDER BY seq').all() as { seq: number; record: string }[];
      const update = db.prepare('UPDATE audit SET hash = ? WHERE seq = ?');
      for (const row of rows) {
        previous = chainHash(previous, row.seq, row.record);
        update.run(previous, row.seq);
      }
    })();
  } finally {
    db.close();
  }
}

const count = (home: string): number => {
  const db = new Database(vaultFiles(home).db, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('audit checkpoints', () => {
  it('an untouched log verifies, signed up to its last record', () => {
    const home = vaultWithHistory();
    expect(verify(home)).toMatchObject({ Valid: true, Records: count(home), SignedRecords: count(home) }); // the Lock record too: the checkpoint at lock is signed after it
    expect(verify(home, '--token')).toMatchObject({ Valid: true, TokenCompared: true });
  });

  it('catches a record rewritten and the chain recomputed after it', () => {
    const home = vaultWithHistory();
    tamperAndRechain(home, (db) => {
      db.prepare(`UPDATE audit SET record = replace(record, '"eventName":"Encrypt"', '"eventName":"Decrypt"'), event_name = 'Decrypt' WHERE seq = 5`).run();
    });
    expect(verify(home)).toMatchObject({ Valid: false, Reason: 'ChainMismatch' });
  });

  it('catches a middle record deleted and the rest renumbered', () => {
    const home = vaultWithHistory();
    tamperAndRechain(home, (db) => {
      db.prepare('DELETE FROM audit WHERE seq = 4').run();
      const later = db.prepare('SELECT seq FROM audit WHERE seq > 4 ORDER BY seq').all() as { seq: number }[];
      for (const { seq } of later) db.prepare('UPDATE audit SET seq = ? WHERE seq = ?').run(seq - 1, seq);
    });
    expect(verify(home)).toMatchObject({ Valid: false, Reason: 'ChainMismatch', Problem: expect.stringContaining('removed and the rest renumbered') as unknown });
  });

  it('catches a middle record deleted without renumbering', () => {
    const home = vaultWithHistory();
    tamperAndRechain(home, (db) => db.prepare('DELETE FROM audit WHERE seq = 4').run());
    expect(verify(home)).toMatchObject({ Valid: false, Reason: 'RecordMissing' });
  });

  it('catches records cut from the end', () => {
    const home = vaultWithHistory();
    const total = count(home);
    tamperAndRechain(home, (db) => db.prepare('DELETE FROM audit WHERE seq > ?').run(total - 3));
    expect(verify(home)).toMatchObject({ Valid: false, Reason: 'Truncated', Records: total - 3 });
  });

  it('catches the last record of a locked vault (its Lock) cut off: the checkpoint at lock covers it', () => {
    const home = vaultWithHistory();
    const total = count(home);
    const db = new Database(vaultFiles(home).db);
    expect(db.prepare('SELECT event_name FROM audit WHERE seq = ?').pluck().get(total)).toBe('Lock');
    db.prepare('DELETE FROM audit WHERE seq = ?').run(total);
    db.close();
    expect(verify(home)).toMatchObject({ Valid: false, Reason: 'Truncated', Records: total - 1 });
  });

  it('catches an emptied log, and an emptied log with its checkpoints gone too', () => {
    const home = vaultWithHistory();
    tamperAndRechain(home, (db) => db.prepare('DELETE FROM audit').run());
    expect(verify(home)).toMatchObject({ Valid: false, Reason: 'Emptied' });
    const db = new Database(vaultFiles(home).db);
    db.exec('DELETE FROM audit_checkpoints');
    expect(verify(home)).toMatchObject({ Valid: false, Reason: 'Emptied' });
    // With the audit key's row and the search tables emptied too, the file looks like a vault from before signed checkpoints: only the token can tell.
    db.exec('DELETE FROM audit_key; DELETE FROM audit_search; DELETE FROM audit_keys');
    db.close();
    expect(verify(home)).toMatchObject({ Valid: true, Records: 0, Checkpoints: 0 });
    expect(verify(home, '--token')).toMatchObject({ Valid: false, Reason: 'RolledBack' });
  });

  it('catches a forged checkpoint signature', () => {
    const home = vaultWithHistory();
    const db = new Database(vaultFiles(home).db);
    db.exec(`UPDATE audit_checkpoints SET payload = replace(payload, 'last-record ', 'last-record 1') WHERE number = (SELECT max(number) FROM audit_checkpoints)`);
    db.close();
    expect(verify(home)).toMatchObject({ Valid: false, Reason: 'BadSignature' });
  });

  it('catches the vault file rolled back to an older copy (the token keeps the newest checkpoint)', () => {
    const { home, vault } = makeVault();
    vault.unlock(PIN);
    newKey(vault, 'before the copy');
    vault.close();
    const copy = join(tempDir(), 'old.sqlite');
    copyFileSync(vaultFiles(home).db, copy);
    const later = openVault(home, 'app');
    later.unlock(PIN);
    newKey(later, 'after the copy: the attacker wants this gone');
    later.close();
    copyFileSync(copy, vaultFiles(home).db);
    // The old copy is a complete, consistent log: only the token can tell that it is old.
    expect(verify(home)).toMatchObject({ Valid: true });
    expect(verify(home, '--token')).toMatchObject({ Valid: false, Reason: 'RolledBack' });
    // Unlocking the old copy again must not make the token forget.
    const again = openVault(home, 'app');
    again.unlock(PIN);
    again.close();
    expect(verify(home, '--token')).toMatchObject({ Valid: false, Reason: 'RolledBack' });
  });
});

describe('the audit key and checkpoint on the token', () => {
  it('keeps the signing key private, sensitive and never extractable, and the checkpoint where only the PIN reaches it', () => {
    const home = vaultWithHistory();
    const db = new Database(vaultFiles(home).db, { readonly: true });
    const { vault_id: vaultId } = db.prepare('SELECT vault_id FROM vault').get() as { vault_id: string };
    db.close();
    const conf = embeddedTokenPaths(home).conf;
    const opened = openVault(home, 'app');
    const tokenPin = embeddedTokenPin(opened);
    opened.close();
    const withPin = pkcs11Tool(conf, ['--login', '--pin', tokenPin, '--list-objects']);
    expect(withPin.status).toBe(0);
    const privateKey = /Private Key Object; EC\n\s+label:\s+strongroom audit ([0-9a-f-]{36})\n.*\n\s+Usage:\s+([^\n]*)\n\s+Access:\s+([^\n]*)/.exec(withPin.stdout);
    expect(privateKey?.slice(1, 2)).toEqual([vaultId]);
    expect(privateKey?.[2]).toMatch(/\bsign\b/);
    expect(privateKey?.[2]).not.toMatch(/derive/);
    expect(privateKey?.[3]).toBe('sensitive, always sensitive, never extractable, local');
    expect(withPin.stdout).toMatch(new RegExp(`Data object \\d+\\n\\s+label:\\s+'strongroom audit checkpoint ${vaultId}'\\n.*\\n.*\\n\\s+flags:\\s+private\\n`));
    const withoutPin = pkcs11Tool(conf, ['--list-objects']);
    expect(withoutPin.stdout).not.toContain('strongroom audit checkpoint');
    expect(withoutPin.stdout).not.toMatch(/Private Key Object/);
    expect(withoutPin.stdout).toMatch(/Public Key Object; EC/); // the public half is public
  });

  it('signs with RSA PKCS#1 v1.5 over SHA-256 where a token has no EC, and with ECDSA P-256, as node:crypto verifies', () => {
    const { vault } = makeVault();
    vault.unlock(PIN);
    try {
      const data = Buffer.from('strongroom audit checkpoint v1\n');
      for (const mechanism of ['rsa-pkcs1-sha256', 'ecdsa-p256-sha256'] as const) {
        const signed = vault.use(({ session }) => {
          const key = createAuditKey(session, randomUUID(), mechanism);
          return { key, signature: signOnToken(session, key, data) };
        });
        expect(signed.key.mechanism).toBe(mechanism);
        expect(verifySignature('sha256', data, publicKeyFrom(signed.key.publicKey), signed.signature)).toBe(true);
        expect(verifySignature('sha256', Buffer.from('another text'), publicKeyFrom(signed.key.publicKey), signed.signature)).toBe(false);
      }
    } finally {
      vault.close();
    }
  });

  it('catches the audit key replaced in the vault and every checkpoint signed again with it (with the token)', () => {
    const home = vaultWithHistory();
    const forger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const db = new Database(vaultFiles(home).db);
    db.prepare('UPDATE audit_key SET public_key = ?').run(forger.publicKey.export({ type: 'spki', format: 'der' }));
    const checkpoints = db.prepare('SELECT number, payload FROM audit_checkpoints').all() as { number: number; payload: string }[];
    for (const { number, payload } of checkpoints) db.prepare('UPDATE audit_checkpoints SET signature = ? WHERE number = ?').run(sign('sha256', Buffer.from(payload), forger.privateKey), number);
    db.close();
    // The files alone cannot tell: they are consistent under the key they carry.
    expect(verify(home)).toMatchObject({ Valid: true });
    expect(verify(home, '--token')).toMatchObject({ Valid: false, Reason: 'KeyMismatch' });
  });
});

describe('exported audit log', () => {
  function exported(home: string): { file: string; key: string } {
    const dir = tempDir();
    const file = join(dir, 'audit.jsonl');
    expect(cli(['audit', 'export', '-o', file], { STRONGROOM_HOME: home }).status).toBe(0);
    const key = join(dir, 'audit-key.pem');
    const header = JSON.parse(readFileSync(file, 'utf8').split('\n')[0] ?? '{}') as { auditPublicKey?: string };
    writeFileSync(key, header.auditPublicKey ?? '');
    return { file, key };
  }

  it('verifies offline, without the vault or the PIN', () => {
    const home = vaultWithHistory();
    const { file, key } = exported(home);
    const result = cli(['audit', 'verify', '--export', file, '--public-key', key], { STRONGROOM_HOME: join(tempDir(), 'no-vault') });
    expect(result.json).toMatchObject({ Valid: true, Records: count(home), SignedRecords: count(home) });
    expect(result.status).toBe(0);
  });

  it('catches a tampered export: a changed event, a dropped line, another key', () => {
    const home = vaultWithHistory();
    const { file, key } = exported(home);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const offline = (text: string, pem = key): Verdict => {
      const changed = join(tempDir(), 'changed.jsonl');
      writeFileSync(changed, text);
      return cli(['audit', 'verify', '--export', changed, '--public-key', pem]).json as Verdict;
    };
    const edited = lines.map((line, i) => (i === 4 ? line.replace('"eventName":"Encrypt"', '"eventName":"Decrypt"') : line));
    expect(offline(edited.join('\n'))).toMatchObject({ Valid: false, Reason: 'RecordChanged', FirstBadRecord: 4 });
    expect(offline(lines.filter((_, i) => i !== 4).join('\n'))).toMatchObject({ Valid: false, Reason: 'RecordMissing' });
    const other = join(tempDir(), 'other.pem');
    const { home: otherHome, vault: otherVault } = makeVault();
    otherVault.close();
    writeFileSync(other, readFileSync(exported(otherHome).key));
    expect(offline(lines.join('\n'), other)).toMatchObject({ Valid: false, Reason: 'KeyMismatch' });
    // The other key put in the export's header as well: the signatures no longer verify.
    const otherPem = readFileSync(other, 'utf8');
    const swapped = [JSON.stringify({ ...(JSON.parse(lines[0] ?? '{}') as object), auditPublicKey: otherPem }), ...lines.slice(1)];
    expect(offline(swapped.join('\n'), other)).toMatchObject({ Valid: false, Reason: 'BadSignature' });
    // Checkpoints dropped from the end of the export: the records they signed are no longer covered, and the one left is found out of place.
    const withoutFirstCheckpoint = lines.filter((line, i) => !(line.startsWith('{"strongroomCheckpoint"') && lines.slice(0, i).every((l) => !l.startsWith('{"strongroomCheckpoint"'))));
    expect(offline(withoutFirstCheckpoint.join('\n'))).toMatchObject({ Valid: false, Reason: 'CheckpointMissing' });
  });

  it('checkpoint signatures verify with openssl, with the commands docs/audit.md gives', () => {
    const home = vaultWithHistory();
    const { file, key } = exported(home);
    const dir = tempDir();
    copyFileSync(file, join(dir, 'audit.jsonl'));
    copyFileSync(key, join(dir, 'pub.pem'));
    const docs = readFileSync(join(__dirname, '../../docs/audit.md'), 'utf8');
    const script = /With openssl alone[\s\S]*?```sh\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
    expect(script).toContain('openssl dgst -sha256 -verify pub.pem -signature sig.der checkpoint.txt');
    const run = (): { stdout: string; status: number | null } => spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: dir, encoding: 'utf8' });
    const good = run();
    expect(good.stdout.trim()).toBe('Verified OK');
    expect(good.status).toBe(0);
    const checkpoint = readFileSync(join(dir, 'checkpoint.txt'), 'utf8');
    expect(checkpoint).toMatch(/^strongroom audit checkpoint v1\n[\s\S]*\nprevious [0-9a-f]{64}\n$/);
    // The newest checkpoint with one number changed: openssl refuses it.
    const lines = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n');
    const forged = lines.map((line) => (line.startsWith('{"strongroomCheckpoint"') ? line.replace(/last-record (\d+)/, 'last-record 9$1') : line));
    writeFileSync(join(dir, 'audit.jsonl'), `${forged.join('\n')}\n`);
    const bad = run();
    expect(bad.stdout.trim()).toBe('Verification failure');
    expect(bad.status).not.toBe(0);
  });
});
