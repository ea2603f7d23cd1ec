// The strongroom command line: vault commands, where PINs come from, help and usage errors.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, errorOf, initCliVault } from '../helpers/cli';
import { makeExternalToken } from '../helpers/softhsm';
import { startHolder, waitForLine } from '../helpers/processes';
import { tempDir } from '../helpers/temp';

import { PIN } from '../helpers/vault';
let home: string;
let env: Record<string, string>;

beforeAll(() => {
  ({ home, env } = initCliVault(PIN, { embedded: true }));
});

describe('strongroom CLI', () => {
  it('init creates the vault on the embedded token and prints its status and the SO PIN once', () => {
    const status = cli(['status'], { STRONGROOM_HOME: home });
    expect(status.status).toBe(0);
    expect(status.json).toMatchObject({ Home: home, Initialized: true, State: 'Locked', Region: 'local', RootOfTrust: 'aes-gcm', Token: { Embedded: true } });
    expect(status.json).not.toHaveProperty('SecurityOfficerPin');
    expect((status.json as { AccountId: string }).AccountId).toMatch(/^[1-9][0-9]{11}$/);
  });

  it('usage errors exit 252', () => {
    for (const args of [['bogus'], ['kms', 'create-bogus'], ['kms', 'generate-random', '--cli-input-json', '{not json'], ['kms', 'generate-random', '--cli-input-json', 'file:///nonexistent.json'], ['init', '--root-of-trust', 'dsa'], ['config', 'auto-lock', 'soon']]) {
      const result = cli(args, env);
      expect(result.status, args.join(' ')).toBe(252);
      expect(result.stderr.length, args.join(' ')).toBeGreaterThan(0);
    }
  });

  it('has --help on every command', () => {
    for (const args of [[], ['init'], ['status'], ['tokens'], ['lock'], ['change-pin'], ['config'], ['config', 'auto-lock'], ['kms'], ['kms', 'generate-random']]) {
      const result = cli([...args, '--help']);
      expect(result.status, args.join(' ')).toBe(0);
      expect(result.stdout, args.join(' ')).toMatch(/^Usage: strongroom/);
    }
    expect(cli(['kms', 'generate-random', '--help']).stdout).toContain('--number-of-bytes <value>');
    // Each operation gets its options only when it runs or its help is asked for, in either form.
    expect(cli(['kms', 'help', 'generate-random']).stdout).toContain('--number-of-bytes <value>');
    expect(cli(['help', 'kms']).stdout).toContain('generate-random');
    expect(cli(['--help']).stdout).toContain('STRONGROOM_PIN');
  });

  it('stops quietly when its reader has gone, as `| head` does', async () => {
    const child = spawn(process.execPath, [BIN, 'kms', 'create-key', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the command has started, let alone written its help
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });

  it('init refuses a home that already has a vault', () => {
    const result = cli(['init'], env);
    expect(result.status).toBe(254);
    expect(errorOf(result).__type).toBe('VaultAlreadyInitializedException');
  });

  it('config auto-lock shows and sets the idle time', () => {
    expect(cli(['config', 'auto-lock'], env).json).toEqual({ AutoLockSeconds: 900 });
    expect(cli(['config', 'auto-lock', '5m'], env).json).toEqual({ AutoLockSeconds: 300 });
    expect(cli(['status'], env).json).toMatchObject({ AutoLockSeconds: 300 });
    expect(cli(['config', 'auto-lock', '2d'], env).status).toBe(252);
    const tooLong = cli(['config', 'auto-lock', '25h'], env);
    expect(tooLong.status).toBe(254);
    expect(errorOf(tooLong).message).toMatch(/from 0 \(never\) to 86400/);
  });

  it('lock tells the process holding the vault to lock it', async () => {
    const holder = await startHolder(home, PIN);
    expect(cli(['status'], env).json).toMatchObject({ State: 'Unlocked', HeldByPid: holder.pid });
    const busy = cli(['kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { ...env, STRONGROOM_VAULT_WAIT: '0' });
    expect(busy.status).toBe(254);
    expect(errorOf(busy)).toEqual({ __type: 'VaultInUseException', message: expect.stringContaining(`pid ${String(holder.pid)}`) as unknown });
    const locked = waitForLine(holder, 'locked');
    const result = cli(['lock'], env);
    expect(result.status).toBe(0);
    expect(await locked).toBe('locked requested');
    expect(result.json).toMatchObject({ State: 'Locked', HeldByPid: holder.pid });
  });

  it('change-pin changes the PIN', () => {
    const other = join(tempDir(), 'other');
    expect(cli(['init', '--root-of-trust', 'rsa'], { STRONGROOM_HOME: other, STRONGROOM_PIN: PIN }).status).toBe(0);
    const changed = cli(['change-pin'], { STRONGROOM_HOME: other, STRONGROOM_PIN: PIN, STRONGROOM_NEW_PIN: 'ember-walrus-cobalt-ridge-58' });
    expect(changed.json).toEqual({ PinChanged: true });
    expect(errorOf(cli(['kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: other, STRONGROOM_PIN: PIN })).__type).toBe('IncorrectPinException');
    expect(cli(['kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: other, STRONGROOM_PIN: 'ember-walrus-cobalt-ridge-58' }).status).toBe(0);
  });

  it('tokens lists what a module offers, to choose one for init', () => {
    const token = makeExternalToken('Listed', '246810');
    const result = cli(['tokens', '--pkcs11', token.modulePath], { SOFTHSM2_CONF: token.conf });
    expect(result.status).toBe(0);
    expect(result.json).toMatchObject({ Module: token.modulePath, Tokens: expect.arrayContaining([expect.objectContaining({ Label: 'Listed', Initialized: true, PinLocked: false, MinPinLength: 4 })]) as unknown });
    expect(cli(['tokens']).status).toBe(252);
    expect(errorOf(cli(['tokens', '--pkcs11', '/nonexistent.so'])).__type).toBe('TokenModuleNotFoundException');
  });

  it('takes the PIN from piped standard input when STRONGROOM_PIN is not set', () => {
    const result = cli(['kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: home }, `${PIN}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const none = cli(['kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: home });
    expect(errorOf(none).message).toMatch(/No PIN given: set STRONGROOM_PIN/);
  });

  it('takes the PIN from --pin-file, so that standard input can carry the request', () => {
    const pinFile = join(tempDir(), 'pin');
    writeFileSync(pinFile, `${PIN}\n`, { mode: 0o600 });
    const result = cli(['--pin-file', pinFile, 'kms', 'generate-random', '--cli-input-json', '-'], { STRONGROOM_HOME: home }, '{"NumberOfBytes":4}');
    expect(result.stderr).toBe('');
    expect(Buffer.from((result.json as { Plaintext: string }).Plaintext, 'base64')).toHaveLength(4);
    // The file wins over the environment.
    expect(cli(['--pin-file', pinFile, 'kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { ...env, STRONGROOM_PIN: '000000' }).status).toBe(0);

    chmodSync(pinFile, 0o644);
    const shared = errorOf(cli(['--pin-file', pinFile, 'kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: home }));
    expect(shared).toMatchObject({ __type: 'ValidationException', message: expect.stringContaining('chmod 600') as unknown });
    const missing = errorOf(cli(['--pin-file', `${pinFile}.none`, 'kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: home }));
    expect(missing.message).toMatch(/^Cannot read the PIN file .*pin\.none \(ENOENT\)\.$/);
    const empty = join(tempDir(), 'empty');
    writeFileSync(empty, '\n', { mode: 0o600 });
    expect(errorOf(cli(['--pin-file', empty, 'kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: home })).message).toMatch(/is empty/);
    const directory = cli(['--pin-file', tempDir(), 'kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: home });
    expect(directory.status).toBe(254);
    expect(errorOf(directory)).toMatchObject({ __type: 'ValidationException', message: expect.stringContaining('is a directory') as unknown });
  });

  it('takes a relative --home from the directory it runs in, and stores it absolute', () => {
    const dir = tempDir();
    const run = (cwd: string, args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, STRONGROOM_PIN: PIN }, encoding: 'utf8' });
    expect(run(dir, ['--home', 'rel', 'init']).status).toBe(0);
    const status = run(join(dir, '..'), ['--home', join(basename(dir), 'rel'), 'status']);
    expect(JSON.parse(status.stdout)).toMatchObject({ Home: join(dir, 'rel'), Initialized: true });
    // The embedded token's configuration names its directory absolutely, so the vault opens from anywhere.
    expect(run(tmpdir(), ['--home', join(dir, 'rel'), 'kms', 'list-keys']).status).toBe(0);
  });

  it('is not killed by a lock request that arrives after a command has closed the vault', () => {
    // What "strongroom lock" sends to the process it finds holding the vault: it must lock, not end it (SIGUSR2's default).
    const script = `require('./src-main/cli/withVault.ts').withVault(process.argv[1], () => 1).then(() => {
      process.kill(process.pid, 'SIGUSR2');
      setTimeout(() => console.log('alive'), 200);
    });`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script, home], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
    expect(run.signal).toBeNull();
    expect(run.stdout.trim()).toBe('alive');
  });

  it('change-pin takes the new PIN from --new-pin-file', () => {
    const other = join(tempDir(), 'other');
    const dir = tempDir();
    const [oldFile, newFile] = [join(dir, 'old'), join(dir, 'new')];
    writeFileSync(oldFile, PIN, { mode: 0o600 });
    writeFileSync(newFile, 'ember-walrus-cobalt-ridge-58\r\n', { mode: 0o600 });
    expect(cli(['--pin-file', oldFile, 'init'], { STRONGROOM_HOME: other }).status).toBe(0);
    expect(cli(['--pin-file', oldFile, 'change-pin', '--new-pin-file', newFile], { STRONGROOM_HOME: other }).json).toEqual({ PinChanged: true });
    expect(cli(['--pin-file', newFile, 'kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: other }).status).toBe(0);
  });
});
