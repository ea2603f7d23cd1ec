import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditPage } from '../../src-main/audit/page';
import { openWriterConnection } from '../../src-main/audit/auditWriter.cjs';
import { exportAuditLog, verifyAuditLog } from '../../src-main/audit/verify';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { openVault } from '../../src-main/bootstrap';
import { b64, call, failure, newKey } from '../helpers/kms';
import { BIN, cli, errorOf } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { waitForLine } from '../helpers/processes';
import { makeVault, PIN } from '../helpers/vault';

let open: Vault | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

/** A closed vault with a few dozen audit records of every kind. */
function vaultWithHistory(): string {
  const { home, vault } = makeVault();
  expect(() => { vault.unlock('999999'); }).toThrow();
  vault.unlock(PIN);
  const id = newKey(vault, 'audited');
  for (let i = 0; i < 10; i += 1) {
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: id, Plaintext: b64(`secret-${String(i)}`), EncryptionContext: { Department: 'Legal', Plaintext: 'a context key, not a secret' } });
    call(vault, 'Decrypt', { CiphertextBlob, EncryptionContext: { Department: 'Legal', Plaintext: 'a context key, not a secret' } });
  }
  failure(vault, 'Encrypt', { KeyId: id, Plaintext: '' });
  vault.close();
  return home;
}

function records(home: string): Record<string, unknown>[] {
  const db = new Database(vaultFiles(home).db, { readonly: true });
  try {
    return [...exportAuditLog(db)].map((line) => JSON.parse(line) as Record<string, unknown>);
  } finally {
    db.close();
  }
}

function tamper(home: string, sql: string): void {
  const db = new Database(vaultFiles(home).db);
  db.exec(sql);
  db.close();
}

/** The record lines of an export (between its header and its checkpoints). */
function exportedRecords(text: string): string[] {
  return text.trim().split('\n').filter((line) => line.startsWith('{"eventVersion"'));
}

function verify(home: string): ReturnType<typeof verifyAuditLog> {
  const db = new Database(vaultFiles(home).db, { readonly: true });
  try {
    return verifyAuditLog(db);
  } finally {
    db.close();
  }
}

describe('audit log', () => {
  it('records every call, allowed or refused, in CloudTrail shape, with no plaintext', () => {
    const home = vaultWithHistory();
    const all = records(home);
    const names = all.map((r) => r.eventName);
    expect(names.slice(0, 3)).toEqual(['Unlock', 'Unlock', 'CreateKey']);
    expect(all[0]).toMatchObject({ errorCode: 'IncorrectPinException', userIdentity: { type: 'Unknown' } });
    expect(names.filter((n) => n === 'Encrypt')).toHaveLength(11);
    const refused = all.find((r) => r.eventName === 'Encrypt' && r.errorCode !== undefined);
    expect(refused).toMatchObject({ errorCode: 'ValidationException', eventSource: 'kms.amazonaws.com', awsRegion: 'local' });
    const encrypt = all.find((r) => r.eventName === 'Encrypt' && r.errorCode === undefined);
    expect(encrypt).toMatchObject({
      eventVersion: '1.08',
      userIdentity: { type: 'Root', accountId: expect.stringMatching(/^\d{12}$/) as unknown },
      eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
      readOnly: true,
      managementEvent: true,
      eventCategory: 'Management',
      resources: [{ type: 'AWS::KMS::Key', ARN: expect.stringMatching(/^arn:aws:kms:local:\d{12}:key\//) as unknown }],
      requestParameters: { keyId: expect.any(String) as unknown, encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { Department: 'Legal' } },
    });
    // An encryption context is the caller's: kept whole, even a key that shares a name with a secret member.
    expect((encrypt?.requestParameters as { encryptionContext: unknown }).encryptionContext).toEqual({ Department: 'Legal', Plaintext: 'a context key, not a secret' });
    const text = JSON.stringify(all);
    for (let i = 0; i < 10; i += 1) expect(text).not.toContain(b64(`secret-${String(i)}`));
    expect(text).not.toMatch(/"plaintext"|"ciphertextBlob"/);
    expect(text).not.toContain(PIN);
    expect(all.at(-1)?.eventName).toBe('Lock');
  });

  it('records cryptographic calls as CloudTrail does: no response elements, the key material used in additionalEventData', () => {
    const { home, vault } = makeVault();
    vault.unlock(PIN);
    const source = newKey(vault);
    const destination = newKey(vault);
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: source, Plaintext: b64('x') });
    const decrypted = call(vault, 'Decrypt', { CiphertextBlob });
    const dataKey = call(vault, 'GenerateDataKey', { KeyId: destination, KeySpec: 'AES_256' });
    const reEncrypted = call(vault, 'ReEncrypt', { CiphertextBlob, DestinationKeyId: destination });
    failure(vault, 'ReEncrypt', { CiphertextBlob, SourceEncryptionContext: { not: 'the one' }, DestinationKeyId: destination });
    call(vault, 'GenerateRandom', { NumberOfBytes: 8 });
    vault.close();
    const byName = (name: string) => records(home).find((r) => r.eventName === name);
    expect(decrypted.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(byName('Encrypt')).toMatchObject({ responseElements: null, additionalEventData: { keyMaterialId: decrypted.KeyMaterialId } });
    expect(byName('Decrypt')).toMatchObject({ responseElements: null, additionalEventData: { keyMaterialId: decrypted.KeyMaterialId } });
    expect(byName('GenerateDataKey')).toMatchObject({ responseElements: null, additionalEventData: { keyMaterialId: dataKey.KeyMaterialId } });
    expect(byName('ReEncrypt')).toMatchObject({
      responseElements: null,
      additionalEventData: { sourceKeyMaterialId: decrypted.KeyMaterialId, destinationKeyMaterialId: reEncrypted.DestinationKeyMaterialId },
    });
    expect(byName('GenerateRandom')).toMatchObject({ responseElements: null });
    expect(byName('GenerateRandom')).not.toHaveProperty('additionalEventData');
    expect(byName('CreateKey')).toMatchObject({ responseElements: { keyMetadata: { keyState: 'Enabled', creationDate: expect.stringMatching(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d:\d\d [AP]M$/) as unknown } } });
    // The algorithms CloudTrail records even when the caller leaves them to their default; the source key first.
    expect(byName('Decrypt')?.requestParameters).toEqual({ encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    expect(byName('ReEncrypt')).toMatchObject({
      requestParameters: { sourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', destinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
      resources: [{ ARN: reEncrypted.SourceKeyId }, { ARN: reEncrypted.KeyId }],
    });
    // The same order when the call fails after both keys are known.
    const failed = records(home).find((r) => r.eventName === 'ReEncrypt' && r.errorCode === 'InvalidCiphertextException');
    expect(failed?.resources).toMatchObject([{ ARN: reEncrypted.SourceKeyId }, { ARN: reEncrypted.KeyId }]);
  });

  it('records responses as CloudTrail does: none for reads, the changed key for empty ones, aliases among the resources', () => {
    const { home, vault } = makeVault();
    vault.unlock(PIN);
    const [first, second] = [newKey(vault), newKey(vault)];
    const [firstArn, secondArn] = [vault.store.keyArn(first), vault.store.keyArn(second)];
    const aliasArn = vault.store.aliasArn('alias/audited');
    call(vault, 'CreateAlias', { AliasName: 'alias/audited', TargetKeyId: first });
    call(vault, 'UpdateAlias', { AliasName: 'alias/audited', TargetKeyId: second });
    call(vault, 'DisableKey', { KeyId: first });
    call(vault, 'EnableKey', { KeyId: first });
    call(vault, 'EnableKeyRotation', { KeyId: first });
    call(vault, 'DisableKeyRotation', { KeyId: first });
    call(vault, 'TagResource', { KeyId: first, Tags: [{ TagKey: 'Team', TagValue: 'HR' }] });
    call(vault, 'UntagResource', { KeyId: first, TagKeys: ['Team'] });
    call(vault, 'DescribeKey', { KeyId: first });
    call(vault, 'ListAliases', {});
    call(vault, 'DeleteAlias', { AliasName: 'alias/audited' });
    vault.close();
    const byName = (name: string) => records(home).find((r) => r.eventName === name);
    const arns = (name: string) => (byName(name)?.resources as { ARN: string }[]).map((r) => r.ARN);
    expect(byName('CreateAlias')).toMatchObject({ responseElements: null });
    expect(arns('CreateAlias')).toEqual([aliasArn, firstArn]);
    expect(byName('UpdateAlias')).toMatchObject({ responseElements: { keyId: secondArn } });
    expect(arns('UpdateAlias')).toEqual([aliasArn, firstArn, secondArn]);
    for (const name of ['DisableKey', 'EnableKey', 'EnableKeyRotation', 'UntagResource']) expect(byName(name)).toMatchObject({ responseElements: { keyId: firstArn } });
    expect(byName('DisableKeyRotation')).toMatchObject({ responseElements: null });
    expect(byName('TagResource')).toMatchObject({ requestParameters: { keyId: first, tags: [{ tagKey: 'Team', tagValue: 'HR' }] }, responseElements: null });
    expect(byName('DescribeKey')).toMatchObject({ responseElements: null });
    expect(byName('ListAliases')).toMatchObject({ responseElements: null });
    expect(arns('DeleteAlias')).toEqual([aliasArn, secondArn]);
  });

  it('pages the failed calls alone, whatever a request holds', () => {
    const { vault } = makeVault();
    open = vault;
    vault.unlock(PIN);
    const id = newKey(vault);
    call(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x'), EncryptionContext: { errorCode: 'not an error' } });
    failure(vault, 'DescribeKey', { KeyId: 'alias/missing' });
    vault.audit.flush();
    const { records: failed } = auditPage(vault.db, { limit: 50, errorsOnly: true });
    expect(failed.map((r) => [r.eventName, r.errorCode])).toEqual([['DescribeKey', 'NotFoundException']]);
    expect(auditPage(vault.db, { limit: 50 }).records.map((r) => r.eventName)).toContain('Encrypt');
  });

  it('verifies an untouched chain', () => {
    const home = vaultWithHistory();
    expect(verify(home)).toMatchObject({ Valid: true, Records: records(home).length });
  });

  it('finds a changed record at that record', () => {
    const home = vaultWithHistory();
    tamper(home, `UPDATE audit SET record = replace(record, '"Decrypt"', '"Encrypt"') WHERE seq = 9`);
    expect(verify(home)).toMatchObject({ Valid: false, FirstBadRecord: 9, Records: 8 });
  });

  it('finds a record whose event name or time column was changed, and one that is no longer JSON', () => {
    const home = vaultWithHistory();
    tamper(home, `UPDATE audit SET event_name = 'ListKeys' WHERE seq = 10`);
    expect(verify(home)).toMatchObject({ Valid: false, FirstBadRecord: 10, Problem: expect.stringContaining('column') as unknown });
    const other = vaultWithHistory();
    tamper(other, `UPDATE audit SET event_time = '2000-01-01T00:00:00.000Z' WHERE seq = 4`);
    expect(verify(other)).toMatchObject({ Valid: false, FirstBadRecord: 4 });
    const broken = vaultWithHistory();
    tamper(broken, `UPDATE audit SET record = '{not json' WHERE seq = 5`);
    expect(verify(broken)).toMatchObject({ Valid: false, FirstBadRecord: 5 });
  });

  it('finds a deleted record where it was', () => {
    const home = vaultWithHistory();
    tamper(home, 'DELETE FROM audit WHERE seq = 12');
    expect(verify(home)).toMatchObject({ Valid: false, FirstBadRecord: 12, Problem: expect.stringContaining('missing') as unknown });
  });

  it('finds two records swapped at the first of them', () => {
    const home = vaultWithHistory();
    tamper(home, `
      UPDATE audit SET seq = -1 WHERE seq = 6;
      UPDATE audit SET seq = 6 WHERE seq = 7;
      UPDATE audit SET seq = 7 WHERE seq = -1;`);
    expect(verify(home)).toMatchObject({ Valid: false, FirstBadRecord: 6 });
  });

  it('goes on from the end of the chain when the vault is opened again', () => {
    const home = vaultWithHistory();
    const before = records(home).length;
    open = openVault(home, 'app');
    open.unlock(PIN);
    open.close();
    open = undefined;
    expect(verify(home)).toMatchObject({ Valid: true, Records: before + 2 });
  });

  it('writes data-plane records within the batch window, and all of them on close', async () => {
    const { home, vault } = makeVault();
    open = vault;
    vault.unlock(PIN);
    const id = newKey(vault);
    const count = () => records(home).length;
    const afterCreate = count();
    call(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x') });
    expect(count()).toBe(afterCreate);
    await vi.waitFor(() => {
      expect(count()).toBe(afterCreate + 1); // written by the batch timer, without a flush or close
    }, { timeout: 10_000, interval: 50 });
  });

  it('writes the record of a failed call before the call returns, cryptographic or read-only', () => {
    const { home, vault } = makeVault();
    open = vault;
    vault.unlock(PIN);
    const count = () => records(home).length;
    const before = count();
    failure(vault, 'Decrypt', { CiphertextBlob: b64('not a ciphertext') });
    expect(count()).toBe(before + 1);
    failure(vault, 'DescribeKey', { KeyId: '00000000-0000-0000-0000-000000000000' });
    expect(count()).toBe(before + 2);
    expect(records(home).slice(-2).map((r) => r.errorCode)).toEqual(['InvalidCiphertextException', 'NotFoundException']);
  });

  it('verify and export work from the CLI, and verify exits 1 on a broken chain', () => {
    const home = vaultWithHistory();
    const ok = cli(['audit', 'verify'], { STRONGROOM_HOME: home });
    expect(ok.status).toBe(0);
    expect(ok.json).toMatchObject({ Valid: true });
    const exported = cli(['audit', 'export'], { STRONGROOM_HOME: home });
    expect(exported.status).toBe(0);
    expect(exportedRecords(exported.stdout)).toHaveLength(records(home).length);
    tamper(home, 'DELETE FROM audit WHERE seq = 3');
    const broken = cli(['audit', 'verify'], { STRONGROOM_HOME: home });
    expect(broken.status).toBe(1);
    expect(broken.json).toMatchObject({ Valid: false, FirstBadRecord: 3 });
  });
});

describe('audit export from the CLI', () => {
  it('writes a new file, refuses an existing one, and stops quietly when its reader does', () => {
    const home = vaultWithHistory();
    const vault = openVault(home, 'app');
    vault.unlock(PIN);
    for (let i = 0; i < 200; i += 1) call(vault, 'GenerateRandom', { NumberOfBytes: 8 }); // more than a pipe holds
    vault.close();
    const total = records(home).length;
    const dir = tempDir();
    const file = join(dir, 'audit.jsonl');

    const written = cli(['audit', 'export', '-o', file], { STRONGROOM_HOME: home });
    expect(written.status).toBe(0);
    expect(written.stderr).toBe(`${String(total)} records written to ${file}\n`);
    expect(exportedRecords(readFileSync(file, 'utf8'))).toHaveLength(total);

    const again = cli(['audit', 'export', '-o', file], { STRONGROOM_HOME: home });
    expect(again.status).toBe(254);
    expect(errorOf(again)).toMatchObject({ __type: 'ValidationException', message: expect.stringContaining('does not overwrite') as unknown });
    expect(exportedRecords(readFileSync(file, 'utf8'))).toHaveLength(total);
    expect(errorOf(cli(['audit', 'export', '-o', join(dir, 'none', 'audit.jsonl')], { STRONGROOM_HOME: home })).message).toMatch(/cannot be created \(ENOENT\)/);

    const head = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" audit export | head -1 > /dev/null; echo "\${PIPESTATUS[0]}"`], { env: { ...process.env, STRONGROOM_HOME: home }, encoding: 'utf8' });
    expect(head.stderr).toBe('');
    expect(head.stdout.trim()).toBe('0');

    // An export that fails leaves nothing under the name asked for, nor its partial file.
    tamper(home, `UPDATE audit SET record = '{not json' WHERE seq = 150`);
    const failed = cli(['audit', 'export', '-o', join(dir, 'failed.jsonl')], { STRONGROOM_HOME: home });
    expect(failed.status).toBe(254);
    expect(errorOf(failed).message).toMatch(/^The export failed/);
    expect(readdirSync(dir).sort()).toEqual(['audit.jsonl']);
  });
});

describe('audit log failures and edge cases', () => {
  it('commits no change without its record, refuses every call once the log fails, and still locks', () => {
    const { home, vault } = makeVault();
    open = vault;
    vault.unlock(PIN);
    const id = newKey(vault);
    const held = vault.use(({ rootKey }) => rootKey.value);
    const other = new Database(vaultFiles(home).db);
    other.exec("CREATE TRIGGER full_disk BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    other.close();
    expect(failure(vault, 'DisableKey', { KeyId: id })).toMatch(/^KMSInternalException: The audit log could not be written/);
    expect(vault.store.keys.get(id)?.keyState).toBe('Enabled');
    expect(failure(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x') })).toMatch(/^KMSInternalException: The audit log could not be written/);
    vault.lock();
    expect(vault.isUnlocked).toBe(false);
    expect(held.every((b) => b === 0)).toBe(true);
    vault.close();
    open = undefined;
    // Why it locked is still noted, though the log could not say it.
    open = openVault(home, 'app');
    expect(open.status().LockReason).toBe('Locked on request.');
  });

  it('keeps only the field names of a request that does not validate, which may hold a misspelled secret', () => {
    const { home, vault } = makeVault();
    vault.unlock(PIN);
    const id = newKey(vault);
    expect(failure(vault, 'Encrypt', { KeyId: id, PlainText: b64('misspelled secret') })).toMatch(/^ValidationException/);
    vault.close();
    const refused = records(home).find((r) => r.eventName === 'Encrypt');
    expect(refused).toMatchObject({ errorCode: 'ValidationException', requestParameters: { invalidRequestFields: ['KeyId', 'PlainText'] } });
    expect(JSON.stringify(records(home))).not.toContain(b64('misspelled secret'));
  });

  it('refuses __proto__ keys, which a schema would drop from the encryption context', () => {
    const { vault } = makeVault();
    open = vault;
    vault.unlock(PIN);
    const id = newKey(vault);
    const request: unknown = JSON.parse(`{"KeyId":"${id}","Plaintext":"eA==","EncryptionContext":{"__proto__":"tenant-A"}}`);
    expect(failure(vault, 'Encrypt', request)).toMatch(/^ValidationException: Keys named __proto__/);
  });

  it('waits for the database while another process holds it for writing, rather than failing the log', async () => {
    const { home, vault } = makeVault();
    open = vault;
    vault.unlock(PIN);
    const id = newKey(vault);
    for (let i = 0; i < 2500; i += 1) call(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x') }); // the writer thread is started
    vault.audit.flush();
    const holder = spawn(process.execPath, ['-e', `
      const db = new (require('better-sqlite3'))(process.argv[1]);
      db.exec('BEGIN IMMEDIATE');
      console.log('held');
      setTimeout(() => { db.exec('COMMIT'); db.close(); }, 700);`, vaultFiles(home).db], { stdio: ['ignore', 'pipe', 'inherit'] });
    await waitForLine(holder, 'held');
    for (let i = 0; i < 2500; i += 1) call(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x') });
    vault.audit.flush(); // the writer waits out the other process instead of failing
    expect(call(vault, 'GenerateRandom', { NumberOfBytes: 4 }).Plaintext).toBeDefined();
    expect(verifyAuditLog(vault.db)).toMatchObject({ Valid: true });
  });

  it('syncs every commit to disk, on the vault connection and on the writer thread connection', () => {
    const { home, vault } = makeVault();
    open = vault;
    const writer = openWriterConnection(vaultFiles(home).db);
    try {
      for (const db of [vault.db, writer]) {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      }
    } finally {
      writer.close();
    }
  });

  it('lets changes through while the writer thread is busy with a large batch', () => {
    const { vault } = makeVault();
    open = vault;
    vault.unlock(PIN);
    const id = newKey(vault);
    for (let i = 0; i < 5000; i += 1) call(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x') });
    for (let i = 0; i < 50; i += 1) call(vault, 'TagResource', { KeyId: id, Tags: [{ TagKey: `k${String(i % 10)}`, TagValue: String(i) }] });
    vault.audit.flush();
    expect(verifyAuditLog(vault.db)).toMatchObject({ Valid: true });
  });
});
