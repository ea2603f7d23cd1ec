import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import { cli, errorOf, initCliVault } from '../helpers/cli';
import { b64, call, failure, newKey } from '../helpers/kms';
import { tempDir } from '../helpers/temp';
import { makeVault, PIN } from '../helpers/vault';

const CLI_PIN = '135790';

/** A value nested `depth` deep: arrays inside arrays, or objects inside objects. */
function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** The JSON text of {@link nested}, written without JSON.stringify (which cannot go that deep). */
function nestedJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}"x"${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
}

describe('requests the core refuses, whatever door they come through', () => {
  let vault: Vault;
  let keyId: string;
  beforeAll(() => {
    vault = makeVault().vault;
    vault.unlock(PIN);
    keyId = newKey(vault);
  });
  afterAll(() => {
    vault.close();
  });

  it('refuses encryption-context names and values that are not well-formed Unicode, which would all encode as U+FFFD and collide', () => {
    const encrypt = (context: Record<string, string>): string => failure(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('secret'), EncryptionContext: context });
    for (const context of [{ purpose: '\uD800' }, { purpose: 'a\uDFFFb' }, { '\uDC00': 'v' }]) {
      expect(encrypt(context)).toMatch(/^ValidationException: .*encryptionContext.*not well-formed Unicode/);
    }
    // The same refusal for the contexts of the other operations that take one.
    const blob = call(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('secret'), EncryptionContext: { purpose: 'ok' } }).CiphertextBlob;
    expect(failure(vault, 'Decrypt', { CiphertextBlob: blob, EncryptionContext: { purpose: '\uD800' } })).toMatch(/^ValidationException: .*not well-formed Unicode/);
    expect(failure(vault, 'ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: { purpose: 'ok' }, DestinationKeyId: keyId, DestinationEncryptionContext: { x: '\uDBFF' } })).toMatch(
      /^ValidationException: .*destinationEncryptionContext.*not well-formed Unicode/,
    );
    // Well-formed text outside the BMP (a surrogate pair) is fine.
    expect(encrypt({ purpose: 'key \u{1F511}' })).toBe('no error');
  });

  it('refuses requests nested deeper than any KMS request, at 8,000 and 100,000 levels of arrays and of objects', () => {
    for (const depth of [8000, 100_000]) {
      for (const kind of ['array', 'object'] as const) {
        expect(failure(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('x'), EncryptionContext: { a: nested(depth, kind) } })).toMatch(/^ValidationException: The request nests deeper than \d+ levels/);
      }
    }
  });
});

describe('the command line', () => {
  let env: Record<string, string>;
  let home: string;
  let keyId: string;
  beforeAll(() => {
    ({ env, home } = initCliVault(CLI_PIN));
    keyId = cli(['kms', 'create-key', '--query', 'KeyMetadata.KeyId', '--output', 'text'], env).stdout.trim();
  });

  it('refuses __proto__ in the shorthand of a map, as in its JSON, rather than dropping it and encrypting with no context', () => {
    for (const context of ['__proto__=x', 'dept=hr,__proto__=x', '{"__proto__":"x"}']) {
      const result = cli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', b64('hi'), '--encryption-context', context], env);
      expect(result.stdout).toBe('');
      expect(errorOf(result)).toEqual({ __type: 'ValidationException', message: 'Keys named __proto__ are not accepted anywhere in a request.' });
    }
  });

  it('refuses an encryption context with a lone surrogate given as JSON', () => {
    const request = `{"KeyId":"${keyId}","Plaintext":"${b64('hi')}","EncryptionContext":{"purpose":"\\ud800"}}`;
    const result = cli(['kms', 'encrypt', '--cli-input-json', request], env);
    expect(result.status).toBe(254);
    expect(errorOf(result).__type).toBe('ValidationException');
    expect(errorOf(result).message).toContain('not well-formed Unicode');
  });

  it('refuses a request nested 8,000 or 100,000 deep, from --cli-input-json and from a map option’s file://', () => {
    const dir = tempDir();
    for (const depth of [8000, 100_000]) {
      for (const kind of ['array', 'object'] as const) {
        const whole = join(dir, `request-${kind}-${String(depth)}.json`);
        writeFileSync(whole, `{"KeyId":"${keyId}","Plaintext":"aGk=","EncryptionContext":{"a":${nestedJson(depth, kind)}}}`);
        const part = join(dir, `context-${kind}-${String(depth)}.json`);
        writeFileSync(part, `{"a":${nestedJson(depth, kind)}}`);
        for (const args of [['--cli-input-json', `file://${whole}`], ['--key-id', keyId, '--plaintext', 'aGk=', '--encryption-context', `file://${part}`]]) {
          const result = cli(['kms', 'encrypt', ...args], env);
          expect(result.status).toBe(254);
          expect(errorOf(result)).toMatchObject({ __type: 'ValidationException', message: expect.stringMatching(/^The request nests deeper than \d+ levels/) as unknown });
        }
      }
    }
  });

  it('warns when a secret-looking plaintext is given on the command line, where other users can read it', () => {
    const inline = cli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', b64('correct horse battery staple')], env);
    expect(inline.status).toBe(0);
    expect(inline.stderr).toContain('strongroom: warning: --plaintext was given on the command line');
    const file = join(tempDir(), 'secret.txt');
    writeFileSync(file, 'correct horse battery staple', { mode: 0o600 });
    const fromFile = cli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', `fileb://${file}`], env);
    expect(fromFile.status).toBe(0);
    expect(fromFile.stderr).toBe('');
  });

  it('stops reading fileb:///dev/zero past the largest blob the member takes', () => {
    const plaintext = cli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', 'fileb:///dev/zero'], env);
    expect(errorOf(plaintext)).toEqual({ __type: 'ValidationException', message: 'fileb:///dev/zero holds more than 4096 bytes, the most --plaintext (Plaintext) takes.' });
    const ciphertext = cli(['kms', 'decrypt', '--ciphertext-blob', 'fileb:///dev/zero'], env);
    expect(errorOf(ciphertext)).toEqual({ __type: 'ValidationException', message: 'fileb:///dev/zero holds more than 6144 bytes, the most --ciphertext-blob (CiphertextBlob) takes.' });
    const text = cli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', 'aGk=', '--encryption-context', 'file:///dev/zero'], env);
    expect(errorOf(text)).toMatchObject({ __type: 'ValidationException', message: expect.stringContaining('file:///dev/zero holds more than') as unknown });
  });

  it('does not signal a process that a vault.lock names without proof that it is the Strongroom process holding the vault', async () => {
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => other.once('exit', (_code, signal) => {
      resolve(signal);
    }));
    const pid = String(other.pid);
    const lockFile = vaultFiles(home).lock;
    const startTime = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19] ?? '';
    expect(startTime).toMatch(/^\d+$/);
    try {
      // Without a start time, and with the right one: either way it does not hold the vault's claim.
      for (const stamp of [`${pid}  unlocked app`, `${pid} ${startTime} unlocked app`]) {
        writeFileSync(lockFile, `${stamp}\n`);
        const result = cli(['lock'], env);
        expect(result.status).toBe(254);
        expect(errorOf(result)).toEqual({
          __type: 'VaultInUseException',
          message: `${lockFile} names pid ${pid}, which is not the Strongroom process holding this vault; nothing was signalled. If no Strongroom app or "strongroom ui" is running, remove ${lockFile}.`,
        });
      }
      // With another start time it is a reused pid, which lock takes for no holder at all.
      writeFileSync(lockFile, `${pid} 1 unlocked app\n`);
      expect(cli(['lock'], env).json).toMatchObject({ State: 'Locked' });
    } finally {
      other.kill('SIGTERM');
      rmSync(lockFile, { force: true });
    }
    // Had the lock command signalled it, SIGUSR2 would have ended it first.
    expect(await exited).toBe('SIGTERM');
  });
});

describe('the vault’s files', () => {
  it('init makes an existing, world-readable home private, and every file in it, whatever the umask', () => {
    const home = join(tempDir(), 'home');
    mkdirSync(home);
    chmodSync(home, 0o755);
    const files = vaultFiles(home);
    const made = [files.db, `${files.db}-wal`, `${files.db}-shm`, `${files.lock}.sqlite`];
    const env = { STRONGROOM_HOME: home, STRONGROOM_PIN: CLI_PIN };
    const umask = process.umask(0o022);
    try {
      expect(cli(['init'], env).status).toBe(0);
      expect(statSync(home).mode & 0o777).toBe(0o700);
      for (const file of made) expect([file, existsSync(file) ? statSync(file).mode & 0o777 : 'missing']).toEqual([file, 0o600]);
      // A vault whose files an older version left readable is made private when it is opened.
      chmodSync(home, 0o755);
      chmodSync(files.db, 0o644);
      expect(cli(['kms', 'generate-random', '--number-of-bytes', '8'], env).status).toBe(0);
    } finally {
      process.umask(umask);
    }
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(files.db).mode & 0o777).toBe(0o600);
  });

  it('refuses to open a vault whose database or home other users can write, and says what to run', () => {
    const { home, env } = initCliVault(CLI_PIN);
    const { db } = vaultFiles(home);
    chmodSync(db, 0o620);
    const refused = cli(['kms', 'generate-random', '--number-of-bytes', '8'], env);
    expect(refused.status).toBe(254);
    expect(errorOf(refused)).toEqual({ __type: 'VaultPermissionsException', message: `${db} can be written by other users (mode 0620). Run "chmod 600 ${db}" and try again.` });
    chmodSync(db, 0o600);
    chmodSync(home, 0o777);
    const openHome = cli(['kms', 'generate-random', '--number-of-bytes', '8'], env);
    expect(errorOf(openHome)).toEqual({ __type: 'VaultPermissionsException', message: `${home} can be written by other users (mode 0777). Run "chmod 700 ${home}" and try again.` });
    chmodSync(home, 0o700);
    expect(cli(['kms', 'generate-random', '--number-of-bytes', '8'], env).status).toBe(0);
  });
});
