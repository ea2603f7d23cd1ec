import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelFiles } from '../../src-main/ipc/localChannel';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import { lockHolder } from '../../src-main/vault/ownerLock';
import { cli, cliAsync, errorOf, initCliVault } from '../helpers/cli';
import { startHost } from '../helpers/hostApi';
import { spawnHolder, waitForLine } from '../helpers/processes';
import { tempDir } from '../helpers/temp';

import { PIN } from '../helpers/vault';

/** Sends raw `text` on the channel socket of `home`; resolves to what comes back before the holder ends the connection. */
function rawExchange(home: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(channelFiles(home).socket);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      resolve(received);
    });
    socket.write(text);
  });
}

/** A private PIN file, as --pin-file wants it. */
function pinFile(): string {
  const file = join(tempDir(), 'pin');
  writeFileSync(file, `${PIN}\n`, { mode: 0o600 });
  return file;
}

describe('strongroom commands at the same time', () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(() => {
    ({ home, env } = initCliVault(PIN));
  });

  it('runs eight kms calls started at once, each waiting for the one before to let go of the vault', async () => {
    const pins = pinFile();
    const key = cli(['kms', 'create-key', '--query', 'KeyMetadata.KeyId', '--output', 'text'], env).stdout.trim();
    // A limit far above what eight calls take, so that a slow machine does not fail the test; the default is 10 s.
    const run = (i: number) => cliAsync(['--pin-file', pins, 'kms', 'encrypt', '--key-id', key, '--plaintext', Buffer.from(`msg ${String(i)}`).toString('base64'), '--query', 'CiphertextBlob', '--output', 'text'], { STRONGROOM_HOME: home, STRONGROOM_VAULT_WAIT: '300' });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => run(i)));
    for (const [i, result] of results.entries()) {
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const plain = cli(['kms', 'decrypt', '--ciphertext-blob', result.stdout.trim(), '--query', 'Plaintext', '--output', 'text'], env);
      expect(Buffer.from(plain.stdout.trim(), 'base64').toString()).toBe(`msg ${String(i)}`);
    }
  });

  it('says which kind of process holds the vault in its lock file, and still reads the lock files of older versions', async () => {
    const holder = spawnHolder(home, undefined, { HOLDER_KIND: 'cli' });
    await waitForLine(holder, 'ready');
    expect(lockHolder(vaultFiles(home).lock)).toEqual({ pid: holder.pid, state: 'locked', kind: 'cli' });
    const older = join(tempDir(), 'vault.lock');
    writeFileSync(older, `${String(process.pid)}  unlocked\n`);
    expect(lockHolder(older)).toEqual({ pid: process.pid, state: 'unlocked', kind: undefined });
  });

  it('gives up with VaultInUseException when another command keeps the vault beyond the wait limit', async () => {
    const holder = spawnHolder(home, undefined, { HOLDER_KIND: 'cli' });
    await waitForLine(holder, 'ready');
    const busy = cli(['kms', 'generate-random', '--number-of-bytes', '4'], { ...env, STRONGROOM_VAULT_WAIT: '0.5' });
    expect(busy.status).toBe(254);
    expect(errorOf(busy)).toEqual({
      __type: 'VaultInUseException',
      message: `The vault is in use by another strongroom command (pid ${String(holder.pid)}), which did not let go of it within 0.5 s. Run the command again when it has finished, or wait longer with STRONGROOM_VAULT_WAIT=SECONDS; "strongroom status", "strongroom lock" and "strongroom audit" work meanwhile.`,
    });
    expect(cli(['kms', 'generate-random', '--number-of-bytes', '4'], { ...env, STRONGROOM_VAULT_WAIT: 'soon' }).status).toBe(252);
  });

  it('gives up on an app that holds the vault but does not take calls', async () => {
    const holder = spawnHolder(home, undefined, { HOLDER_KIND: 'app' });
    await waitForLine(holder, 'ready');
    const busy = cli(['kms', 'generate-random', '--number-of-bytes', '4'], { ...env, STRONGROOM_VAULT_WAIT: '0.5' });
    expect(errorOf(busy)).toEqual({
      __type: 'VaultInUseException',
      message: expect.stringContaining(`held by the Strongroom desktop app (pid ${String(holder.pid)}), which did not take this call on its channel within 0.5 s`) as unknown,
    });
  });
});

describe('strongroom kms beside the browser host', () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(() => {
    ({ home, env } = initCliVault(PIN));
  });
  /** The environment of a command with no PIN at all: it can only succeed through the host. */
  const noPin = (): Record<string, string> => ({ STRONGROOM_HOME: home });

  it('runs the command’s calls in the host that holds the vault unlocked, prints them as its own, and the audit log says they came from the command line', async () => {
    const { api } = await startHost(home);
    expect(await api('vault:unlock', { pin: PIN })).toMatchObject({ ok: true, value: { State: 'Unlocked' } });
    const files = channelFiles(home);
    expect(statSync(files.dir).mode & 0o777).toBe(0o700);
    expect(statSync(files.socket).mode & 0o777).toBe(0o600);
    expect(statSync(files.secret).mode & 0o777).toBe(0o600);

    const key = cli(['kms', 'create-key', '--description', 'Gehälter – 給与', '--query', 'KeyMetadata.KeyId', '--output', 'text'], noPin());
    expect(key.stderr).toBe('');
    const keyId = key.stdout.trim();
    expect(cli(['kms', 'describe-key', '--key-id', keyId, '--query', 'KeyMetadata.Description', '--output', 'text'], noPin()).stdout).toBe('Gehälter – 給与\n');
    const encrypted = cli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', Buffer.from('hello').toString('base64'), '--encryption-context', 'dept=hr'], noPin());
    expect(encrypted.status).toBe(0);
    expect(encrypted.json).toMatchObject({ KeyId: expect.stringContaining(keyId) as unknown, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    const blob = (encrypted.json as { CiphertextBlob: string }).CiphertextBlob;
    const decrypted = cli(['kms', 'decrypt', '--ciphertext-blob', blob, '--encryption-context', 'dept=hr', '--query', 'Plaintext', '--output', 'text'], noPin());
    expect(decrypted.status).toBe(0);
    expect(Buffer.from(decrypted.stdout.trim(), 'base64').toString()).toBe('hello');
    // The policy simulator, too, is asked of the host.
    const account = (cli(['status'], noPin()).json as { AccountId: string }).AccountId;
    const simulated = cli(['iam', 'simulate', '--principal', `arn:aws:iam::${account}:root`, '--action', 'kms:Decrypt', '--key', keyId], noPin());
    expect(simulated.stderr).toBe('');
    expect(simulated.json).toMatchObject({ decision: 'allowed', decidedBy: 'statement 0 (Sid "Enable IAM User Permissions") of the key policy' });

    // Errors and paged lists come back as if the command had made the calls itself.
    const wrongContext = cli(['kms', 'decrypt', '--ciphertext-blob', blob], noPin());
    expect(wrongContext.status).toBe(254);
    expect(errorOf(wrongContext).__type).toBe('InvalidCiphertextException');
    cli(['kms', 'create-key'], noPin());
    const firstOfTwo = cli(['kms', 'list-keys', '--max-items', '1'], noPin());
    expect(firstOfTwo.json).toMatchObject({ Keys: [expect.any(Object)], NextToken: expect.any(String) as unknown });

    const records = await api('audit:page', { limit: 10, eventName: 'Decrypt' });
    const sources = (records.value as { records: { sourceIPAddress: string; userAgent: string; errorCode?: string }[] }).records.map((r) => [r.sourceIPAddress, r.userAgent, r.errorCode]);
    expect(sources).toEqual([
      ['strongroom-cli', 'strongroom-cli-via-host', 'InvalidCiphertextException'],
      ['strongroom-cli', 'strongroom-cli-via-host', undefined],
    ]);
  });

  it('refuses, and records, a caller without the launch’s secret, and a message too long', async () => {
    const { api } = await startHost(home);
    await api('vault:unlock', { pin: PIN }); // to read the audit log
    const refused = JSON.parse(await rawExchange(home, `${JSON.stringify({ secret: 'guess', operation: 'GenerateRandom', input: { NumberOfBytes: 8 } })}\n`)) as unknown;
    expect(refused).toEqual({ ok: false, error: { __type: 'AccessDeniedException', message: 'Request refused: wrong channel secret.' } });
    const long = JSON.parse(await rawExchange(home, 'x'.repeat(2 * 1024 * 1024))) as unknown;
    expect(long).toEqual({ ok: false, error: { __type: 'AccessDeniedException', message: 'Request refused: message over 1048576 bytes.' } });
    const page = await api('audit:page', { limit: 10, eventName: 'RefusedRequest' });
    // A command does not send its call into a channel directory that others could have put there.
    chmodSync(channelFiles(home).dir, 0o755);
    const unsafe = cli(['kms', 'generate-random', '--number-of-bytes', '4'], { ...noPin(), STRONGROOM_VAULT_WAIT: '0.2' });
    expect(errorOf(unsafe).message).toContain('did not take this call on its channel');
    const reasons = (page.value as { records: { requestParameters: { channel: string; reason: string } }[] }).records.map((r) => r.requestParameters);
    expect(reasons).toEqual([
      { channel: 'cli-channel', reason: 'message over 1048576 bytes' },
      { channel: 'cli-channel', reason: 'wrong channel secret' },
    ]);
  });

  it('refuses, without crashing, a request nested 8,000 and 100,000 deep before sending it to the host', async () => {
    const { api } = await startHost(home);
    await api('vault:unlock', { pin: PIN });
    const file = join(tempDir(), 'deep.json');
    for (const depth of [8000, 100_000]) {
      writeFileSync(file, `{"NumberOfBytes":8,"Recipient":{"AttestationDocument":${'['.repeat(depth)}${']'.repeat(depth)}}}`);
      const result = cli(['kms', 'generate-random', '--cli-input-json', `file://${file}`], noPin());
      expect(result.status).toBe(254);
      expect(errorOf(result)).toEqual({ __type: 'ValidationException', message: 'The request nests deeper than 32 levels, which no KMS request does.' });
    }
  });

  it('says to unlock the host when it holds the vault locked, and to close it for the commands that need the vault to themselves', async () => {
    const { child } = await startHost(home);
    const locked = cli(['kms', 'generate-random', '--number-of-bytes', '4'], noPin());
    expect(locked.status).toBe(254);
    expect(errorOf(locked)).toEqual({
      __type: 'VaultLockedException',
      message: `The vault is held by "strongroom ui" (pid ${String(child.pid)}), which is locked. Unlock it there, or close it, and run the command again.`,
    });
    const changePin = cli(['change-pin'], { ...env, STRONGROOM_NEW_PIN: '246802' });
    expect(errorOf(changePin)).toEqual({
      __type: 'VaultInUseException',
      message: `The vault is held by "strongroom ui" (pid ${String(child.pid)}), which keeps it while it runs and takes only "strongroom kms" calls from the command line. Close it and run the command again; "strongroom status", "strongroom lock" and "strongroom audit" work meanwhile.`,
    });
    expect(cli(['status'], noPin()).json).toMatchObject({ State: 'Locked', HeldByPid: child.pid });
  });

  it('removes its channel when it stops; a channel left by a host that was killed is replaced by the next', async () => {
    const files = channelFiles(home);
    const first = await startHost(home);
    first.child.kill('SIGTERM');
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(existsSync(files.socket)).toBe(false);
    expect(existsSync(files.secret)).toBe(false);

    const killed = await startHost(home);
    killed.child.kill('SIGKILL');
    await new Promise((resolve) => killed.child.once('exit', resolve));
    expect(existsSync(files.socket)).toBe(true);
    expect(cli(['kms', 'generate-random', '--number-of-bytes', '4'], env).status).toBe(0); // no one holds the vault: the command opens it itself
    const { api } = await startHost(home);
    await api('vault:unlock', { pin: PIN });
    expect(cli(['kms', 'generate-random', '--number-of-bytes', '4'], noPin()).status).toBe(0);
  });

  it('refuses a socket path too long to be a socket path, rather than have it cut short to somewhere else', async () => {
    const longHome = join(tempDir(), 'v'.repeat(70));
    expect(cli(['init'], { STRONGROOM_HOME: longHome, STRONGROOM_PIN: PIN }).status).toBe(0);
    await startHost(longHome);
    const refused = cli(['kms', 'generate-random', '--number-of-bytes', '4'], { STRONGROOM_HOME: longHome });
    expect(errorOf(refused)).toEqual({ __type: 'VaultInUseException', message: expect.stringContaining('is longer than a Unix socket path may be (103 bytes)') as unknown });
    expect(existsSync(channelFiles(longHome).socket)).toBe(false);
  });
});
