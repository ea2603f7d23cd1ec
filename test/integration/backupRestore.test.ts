import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildClient, CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { backupWrappingKey } from '../../src-main/backup/backupFile';
import { createBackup } from '../../src-main/kms/lifecycle/backup';
import { connect } from '../../src-main/vault/db';
import { cli, errorOf, initCliVault, type CliResult } from '../helpers/cli';
import { tokenDirectory, tokenUri as uri } from '../helpers/softhsm';
import { tempDir } from '../helpers/temp';
import { makeVault, PIN, rootKeyCopy } from '../helpers/vault';

const CUSTODIANS = ['ana', 'bo', 'cy', 'di', 'ed'];
const NEW_PASSPHRASE = 'harbour-quiet-mosaic-tulip-58';

function ok(result: CliResult): Record<string, unknown> {
  expect(result.status, result.stderr).toBe(0);
  return result.json as Record<string, unknown>;
}

describe('strongroom backup and restore', () => {
  let env: Record<string, string>;
  let dir: string;
  let passphrases: string[];
  let file: string;
  let keyId: string;
  let macKeyId: string;
  let ciphertext: string;
  let mac: string;
  const share = (name: string): string[] => ['--share', join(dir, 'shares', `${name}.share.json`)];
  const secretFile = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, `${text}\n`, { mode: 0o600 });
    return path;
  };

  beforeAll(() => {
    ({ env } = initCliVault(PIN, { embedded: true }));
    dir = tempDir();
    mkdirSync(join(dir, 'shares'));
    passphrases = CUSTODIANS.flatMap((name) => ['--passphrase-file', `${name}=${secretFile(`${name}.pass`, `${name} keeps the blue notebook`)}`]);
    ok(cli(['recovery', 'split', '--threshold', '3', ...CUSTODIANS.flatMap((name) => ['--custodian', name]), '--out', join(dir, 'shares'), ...passphrases], env));
    keyId = (ok(cli(['kms', 'create-key', '--description', 'payroll'], env)).KeyMetadata as { KeyId: string }).KeyId;
    ok(cli(['kms', 'create-alias', '--alias-name', 'alias/payroll', '--target-key-id', keyId], env));
    ok(cli(['kms', 'tag-resource', '--key-id', keyId, '--tags', 'TagKey=team,TagValue=finance'], env));
    ciphertext = String(ok(cli(['kms', 'encrypt', '--key-id', 'alias/payroll', '--plaintext', Buffer.from('salaries').toString('base64'), '--encryption-context', 'dept=hr'], env)).CiphertextBlob);
    ok(cli(['kms', 'rotate-key-on-demand', '--key-id', keyId], env));
    macKeyId = (ok(cli(['kms', 'create-key', '--key-spec', 'HMAC_256', '--key-usage', 'GENERATE_VERIFY_MAC'], env)).KeyMetadata as { KeyId: string }).KeyId;
    mac = String(ok(cli(['kms', 'generate-mac', '--key-id', macKeyId, '--message', Buffer.from('ledger').toString('base64'), '--mac-algorithm', 'HMAC_SHA_256'], env)).Mac);
    file = join(dir, 'vault.backup');
    const made = ok(cli(['backup', 'create', '-o', file], env));
    expect(made).toMatchObject({ File: file, Manifest: { Counts: { Keys: 2, KeyVersions: 3, Aliases: 1, Tags: 1 } } });
  });

  it('shows a backup’s manifest without any key; the file holds nothing readable of the vault', () => {
    const manifest = ok(cli(['backup', 'inspect', file]));
    const status = ok(cli(['status'], env));
    expect(manifest).toMatchObject({ Format: 1, VaultId: status.VaultId, AccountId: status.AccountId, Counts: { Keys: 2, Aliases: 1 }, Token: { Kind: 'embedded' }, RecoverySplit: { Threshold: 3, Custodians: CUSTODIANS } });
    const bytes = readFileSync(file);
    expect(bytes.includes('SQLite format 3')).toBe(false);
    expect(bytes.includes('alias/payroll')).toBe(false);
    expect(errorOf(cli(['backup', 'inspect', join(dir, 'ana.pass')]))).toMatchObject({ __type: 'InvalidCiphertextException' });
  });

  it('restores onto a fresh token B with 3 of 5 shares: what the old vault encrypted decrypts, MACs match, and the log records the restore and verifies across the change of audit key', () => {
    const tokens = tokenDirectory();
    tokens.addToken('B', '246810');
    const home = join(tempDir(), 'restored');
    const restoredEnv = { STRONGROOM_HOME: home, SOFTHSM2_CONF: tokens.conf };
    const newPin = secretFile('b.pin', '246810');
    expect(errorOf(cli(['backup', 'restore', file, ...share('ana'), ...share('cy'), ...passphrases, '--pkcs11', uri('B'), '--new-pin-file', newPin], restoredEnv)).message).toBe('Split ' + (ok(cli(['backup', 'inspect', file])).RecoverySplit as { SplitId: string }).SplitId + ' needs 3 of its 5 shares; 2 were given.');
    expect(existsSync(home)).toBe(false);

    const transcript = join(dir, 'restore-transcript');
    const witnesses = ['--participant', 'Ada Byron:officer', '--participant', 'Ben:witness', '--transcript', transcript];
    const restored = ok(cli(['backup', 'restore', file, ...share('ana'), ...share('cy'), ...share('ed'), ...passphrases, '--pkcs11', uri('B'), '--new-pin-file', newPin, ...witnesses], restoredEnv));
    const original = ok(cli(['status'], env));
    expect(restored).toMatchObject({ VaultId: original.VaultId, Home: home });
    const unlocked = { ...restoredEnv, STRONGROOM_PIN: '246810' };
    expect(ok(cli(['status'], unlocked))).toMatchObject({ VaultId: original.VaultId, Token: { Embedded: false, Label: 'B' }, State: 'Locked' });
    expect(ok(cli(['kms', 'decrypt', '--ciphertext-blob', ciphertext, '--encryption-context', 'dept=hr'], unlocked)).Plaintext).toBe(Buffer.from('salaries').toString('base64'));
    expect(ok(cli(['kms', 'generate-mac', '--key-id', macKeyId, '--message', Buffer.from('ledger').toString('base64'), '--mac-algorithm', 'HMAC_SHA_256'], unlocked)).Mac).toBe(mac);
    expect(ok(cli(['kms', 'list-key-rotations', '--key-id', keyId], unlocked)).Rotations).toHaveLength(1);
    expect(ok(cli(['kms', 'list-resource-tags', '--key-id', keyId], unlocked)).Tags).toEqual([{ TagKey: 'team', TagValue: 'finance' }]);

    const verified = ok(cli(['audit', 'verify', '--token'], unlocked));
    expect(verified).toMatchObject({ Valid: true, TokenCompared: true });
    const log = cli(['audit', 'export'], unlocked).stdout;
    expect(log).toMatch(/"eventName":"RestoreVault".*"unlockedWith":"recovery shares".*"custodians":"ana, cy, ed"/);
    expect(log).not.toMatch(/blue notebook/);

    // The transcript: signed by the restored vault's audit key (openssl checks it), chained to the log both ways, no secret in it.
    expect(restored.Transcript).toEqual(['json', 'html', 'pdf', 'txt', 'sig'].map((ext) => `${transcript}.${ext}`));
    const signed = JSON.parse(readFileSync(`${transcript}.json`, 'utf8')) as { Transcript: string; TranscriptSha256: string; AuditPublicKey: string };
    writeFileSync(join(dir, 'audit.pem'), signed.AuditPublicKey);
    expect(execFileSync('openssl', ['dgst', '-sha256', '-verify', join(dir, 'audit.pem'), '-signature', `${transcript}.sig`, `${transcript}.txt`], { encoding: 'utf8' })).toContain('Verified OK');
    const body = JSON.parse(signed.Transcript) as { Ceremony: string; Participants: unknown; Steps: { Step: string }[]; AuditHead: { Sequence: number; ChainHash: string } };
    expect(body).toMatchObject({ Ceremony: 'Restore', Participants: [{ Name: 'Ada Byron', Role: 'officer' }, { Name: 'Ben', Role: 'witness' }] });
    expect(body.Steps.map((step) => step.Step).join('\n')).toMatch(/Open the backup with the shares of ana, cy, ed/);
    const records = log.trim().split('\n').map((line) => JSON.parse(line) as { strongroomSequence: number; strongroomChainHash: string; eventName: string; requestParameters?: unknown; responseElements?: unknown });
    expect(records.find((r) => r.strongroomSequence === body.AuditHead.Sequence)?.strongroomChainHash).toBe(body.AuditHead.ChainHash);
    expect(records.find((r) => r.eventName === 'SignCeremonyTranscript')?.responseElements).toEqual({ transcriptSha256: signed.TranscriptSha256 });
    expect(readFileSync(`${transcript}.html`, 'utf8')).toContain('Ada Byron');
    // The PDF, as poppler reads it: the participants with a line to sign, the steps, the facts.
    const pdf = execFileSync('pdftotext', ['-layout', `${transcript}.pdf`, '-'], { encoding: 'utf8' });
    expect(pdf).toMatch(/Ceremony: Restore[\s\S]*Ada Byron \(officer\)\s+Signature: _+[\s\S]*Ben \(witness\)[\s\S]*Restore vault [\s\S]*UnlockedWith: shares of /);
    expect(readFileSync(`${transcript}.txt`, 'utf8')).not.toMatch(/blue notebook|246810/);

    // The checkpoints before the restore verify only with the key that signed them then.
    const db = connect(join(home, 'vault.sqlite'));
    db.prepare('UPDATE audit_keys_retired SET public_key = (SELECT public_key FROM audit_key)').run();
    db.close();
    const tampered = cli(['audit', 'verify'], unlocked);
    expect(tampered.status).toBe(1);
    expect(tampered.json).toMatchObject({ Valid: false, Reason: 'BadSignature' });
  });

  it('restores with the old token into another home; over a vault only with --force, which keeps that vault beside', () => {
    const home = join(tempDir(), 'again');
    const restore = (...extra: string[]): CliResult => cli(['backup', 'restore', file, '--old-home', env.STRONGROOM_HOME ?? '', '--old-pin-file', secretFile('old.pin', PIN), '--new-pin-file', secretFile('new.pin', NEW_PASSPHRASE), ...extra], { STRONGROOM_HOME: home });
    ok(restore());
    const unlocked = { STRONGROOM_HOME: home, STRONGROOM_PIN: NEW_PASSPHRASE };
    expect(ok(cli(['kms', 'decrypt', '--ciphertext-blob', ciphertext, '--encryption-context', 'dept=hr'], unlocked)).Plaintext).toBe(Buffer.from('salaries').toString('base64'));
    expect(cli(['audit', 'export'], unlocked).stdout).toMatch(/"eventName":"RestoreVault".*"unlockedWith":"token"/);
    ok(cli(['kms', 'create-alias', '--alias-name', 'alias/after', '--target-key-id', keyId], unlocked));

    expect(errorOf(restore())).toMatchObject({ __type: 'AlreadyExistsException', message: expect.stringMatching(/already holds a vault/) as string });
    const wrongPin = cli(['backup', 'restore', file, '--old-home', env.STRONGROOM_HOME ?? '', '--old-pin-file', secretFile('wrong.pin', 'not-the-passphrase-at-all'), '--new-pin-file', join(dir, 'new.pin'), '--force'], { STRONGROOM_HOME: home });
    expect(wrongPin.status).not.toBe(0);
    expect(ok(cli(['kms', 'list-aliases'], unlocked)).Aliases).toContainEqual(expect.objectContaining({ AliasName: 'alias/after' }));

    const replaced = String(ok(restore('--force')).ReplacedVault);
    expect(dirname(replaced)).toBe(dirname(home));
    expect(ok(cli(['kms', 'list-aliases'], { STRONGROOM_HOME: replaced, STRONGROOM_PIN: NEW_PASSPHRASE })).Aliases).toContainEqual(expect.objectContaining({ AliasName: 'alias/after' }));
    expect(ok(cli(['kms', 'list-aliases'], unlocked)).Aliases).not.toContainEqual(expect.objectContaining({ AliasName: 'alias/after' }));
    expect(readdirSync(dirname(home)).filter((name) => name.includes('restoring'))).toEqual([]);
  });

  it('refuses a backup that was changed, and leaves no home behind', () => {
    const changed = readFileSync(file);
    changed[changed.length - 100] = (changed[changed.length - 100] ?? 0) ^ 1;
    const path = join(dir, 'changed.backup');
    writeFileSync(path, changed);
    const home = join(tempDir(), 'never');
    expect(errorOf(cli(['backup', 'restore', path, ...share('ana'), ...share('bo'), ...share('cy'), ...passphrases, '--new-pin-file', secretFile('n.pin', NEW_PASSPHRASE)], { STRONGROOM_HOME: home }))).toMatchObject({ __type: 'InvalidCiphertextException' });
    expect(existsSync(home)).toBe(false);
    expect(readdirSync(dirname(home))).toEqual([]);
  });
});

describe('strongroom rewrap', () => {
  it('moves the root key from token A to token B, changing to the rsa mechanism; then, with A gone, to token C with shares', () => {
    const tokens = tokenDirectory();
    for (const label of ['A', 'B', 'C']) tokens.addToken(label, '246810');
    const home = join(tempDir(), 'home');
    const env = { STRONGROOM_HOME: home, STRONGROOM_PIN: '246810', SOFTHSM2_CONF: tokens.conf, STRONGROOM_NEW_PIN: '246810' };
    ok(cli(['init', '--pkcs11', uri('A')], env));
    const keyId = (ok(cli(['kms', 'create-key'], env)).KeyMetadata as { KeyId: string }).KeyId;
    const ciphertext = String(ok(cli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', 'c2VjcmV0'], env)).CiphertextBlob);
    const dir = tempDir();
    const pass = join(dir, 'p');
    writeFileSync(pass, 'a passphrase long enough\n', { mode: 0o600 });
    const passphrases = ['x', 'y'].flatMap((name) => ['--passphrase-file', `${name}=${pass}`]);
    ok(cli(['recovery', 'split', '--threshold', '2', '--custodian', 'x', '--custodian', 'y', '--out', dir, ...passphrases], env));

    const moved = ok(cli(['rewrap', '--pkcs11', uri('B'), '--root-of-trust', 'rsa'], env));
    expect(moved).toMatchObject({ Token: { Label: 'B' }, RootOfTrust: expect.stringMatching(/^rsa-oaep-/) as string, OldTokenObjects: { Labels: expect.arrayContaining([expect.stringMatching(/^strongroom root /)]) as string[] } });
    expect(ok(cli(['status'], env))).toMatchObject({ Token: { Label: 'B' }, RootOfTrust: moved.RootOfTrust });
    expect(ok(cli(['kms', 'decrypt', '--ciphertext-blob', ciphertext], env)).Plaintext).toBe('c2VjcmV0');
    expect(ok(cli(['audit', 'verify', '--token'], env))).toMatchObject({ Valid: true, TokenCompared: true });

    execFileSync('softhsm2-util', ['--delete-token', '--token', 'B'], { env: { ...process.env, SOFTHSM2_CONF: tokens.conf }, stdio: 'pipe' });
    expect(cli(['kms', 'list-keys'], env).status).not.toBe(0);
    ok(cli(['rewrap', '--pkcs11', uri('C'), '--share', join(dir, 'x.share.json'), '--share', join(dir, 'y.share.json'), ...passphrases], env));
    expect(ok(cli(['kms', 'decrypt', '--ciphertext-blob', ciphertext], env)).Plaintext).toBe('c2VjcmV0');
    expect(cli(['audit', 'export'], env).stdout).toMatch(/"eventName":"RewrapRootKey".*"unlockedWith":"recovery shares"/);
    expect(errorOf(cli(['rewrap', '--pkcs11', uri('C')], env)).message).toMatch(/already holds keys of vault/);
  });
});

describe('a backup is an Encryption SDK message', () => {
  it('opens with the SDK’s raw AES keyring given the key derived from the root key: the vault’s database', async () => {
    const { vault } = makeVault();
    vault.unlock(PIN);
    const out = join(tempDir(), 'sdk.backup');
    await createBackup(vault, out, false);
    const wrappingKey = backupWrappingKey(rootKeyCopy(vault), vault.record.vaultId);
    const keyring = new RawAesKeyringNode({ keyNamespace: 'strongroom-backup', keyName: `vault/${vault.record.vaultId}`, unencryptedMasterKey: new Uint8Array(wrappingKey), wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING });
    const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
    const { plaintext, messageHeader } = await decrypt(keyring, readFileSync(out));
    expect(plaintext.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(JSON.parse(messageHeader.encryptionContext['strongroom-backup'] ?? '{}')).toMatchObject({ VaultId: vault.record.vaultId });
    vault.close();
  });
});
