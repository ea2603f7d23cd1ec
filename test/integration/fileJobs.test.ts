import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FileJobState, Folder } from '../../src-shared/files/jobs';
import { cli, initCliVault } from '../helpers/cli';
import { startHost, type Api } from '../helpers/hostApi';
import { tempDir } from '../helpers/temp';
import { PIN } from '../helpers/vault';

/**
 * The interface's batches of files, through the browser host as the page
 * drives them: started on a worker thread of the host, followed, cancelled.
 */
describe('batches of files through the browser host', () => {
  let home: string;
  let api: Api;
  let dir: string;
  let keyId: string;
  let ageIdentityFile: string;
  beforeAll(() => {
    let env: Record<string, string>;
    ({ home, env } = initCliVault(PIN));
    keyId = cli(['kms', 'create-key', '--query', 'KeyMetadata.KeyId', '--output', 'text'], env).stdout.trim();
    dir = tempDir();
    ageIdentityFile = join(dir, 'carol.key');
    spawnSync('age-keygen', ['-o', ageIdentityFile]);
    const carol = spawnSync('age-keygen', ['-y', ageIdentityFile], { encoding: 'utf8' }).stdout.trim();
    expect(cli(['contact', 'add', 'Carol', carol], env).status).toBe(0);
  });
  beforeEach(async () => {
    ({ api } = await startHost(home)); // stopped after each test
    expect((await api('vault:unlock', { pin: PIN })).ok).toBe(true);
  });

  const value = async <T>(channel: string, body: unknown): Promise<T> => {
    const reply = await api(channel, body);
    if (!reply.ok) throw new Error(`${reply.error?.__type ?? ''}: ${reply.error?.message ?? ''}`);
    return reply.value as T;
  };
  /** Follows a batch until it ends, checking at each look that the host still answers other calls. */
  const finished = async (started: FileJobState): Promise<FileJobState> => {
    let state = started;
    while (state.state === 'running') {
      expect((await api('vault:status', {})).ok).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = await value<FileJobState>('files:job', { jobId: state.jobId });
    }
    return state;
  };

  it('encrypts files for a key and decrypts them, saying for whom they were made; an age contact gets age files', async () => {
    const inputs = ['a.txt', 'b.bin'].map((name) => join(dir, name));
    writeFileSync(inputs[0] ?? '', 'first');
    writeFileSync(inputs[1] ?? '', randomBytes(300_000));
    const encrypted = await finished(await value('files:start', { kind: 'encrypt', paths: inputs, recipients: [keyId], context: { project: 'alpha' }, replace: false }));
    expect(encrypted).toMatchObject({ state: 'done', bytesDone: 300_005, bytesTotal: 300_005, results: inputs.map((input) => ({ input, output: `${input}.enc` })) });

    const out = join(dir, 'out');
    mkdirSync(out);
    const decrypted = await finished(await value('files:start', { kind: 'decrypt', paths: inputs.map((input) => `${input}.enc`), outputDir: out, replace: false }));
    expect(decrypted.state).toBe('done');
    expect(decrypted.results[0]).toMatchObject({ output: join(out, 'a.txt'), opened: { Format: 'aws-encryption-sdk', EncryptionContext: { project: 'alpha' }, EncryptedFor: [expect.stringMatching(new RegExp(`key/${keyId}$`)) as string], SignedBy: 'nobody (the file is not signed)' } });
    expect(readFileSync(join(out, 'b.bin')).equals(readFileSync(inputs[1] ?? ''))).toBe(true);

    const again = await finished(await value('files:start', { kind: 'decrypt', paths: [`${inputs[0] ?? ''}.enc`], outputDir: out, replace: false }));
    expect(again.results[0]?.error?.__type).toBe('AlreadyExistsException');

    const forCarol = await finished(await value('files:start', { kind: 'encrypt', paths: [inputs[0]], recipients: ['carol'], replace: false }));
    expect(forCarol.results[0]?.output).toBe(`${inputs[0] ?? ''}.age`);
    expect(spawnSync('age', ['-d', '-i', ageIdentityFile, `${inputs[0] ?? ''}.age`], { encoding: 'utf8' }).stdout).toBe('first');
    const withContext = await finished(await value('files:start', { kind: 'encrypt', paths: [inputs[1]], recipients: ['carol'], context: { project: 'alpha' }, replace: false }));
    expect(withContext).toMatchObject({ state: 'failed', error: { __type: 'ValidationException', message: expect.stringMatching(/An age file has no encryption context/) as string } });
  });

  it('cancels a batch: the file being read leaves nothing behind', async () => {
    const big = join(dir, 'big.img');
    writeFileSync(big, '');
    truncateSync(big, 4 * 1024 ** 3);
    const started = await value<FileJobState>('files:start', { kind: 'encrypt', paths: [big], recipients: [keyId], replace: false });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await value<FileJobState>('files:job', { jobId: started.jobId })).state).toBe('running');
    await value('files:cancel', { jobId: started.jobId });
    const ended = await finished(started);
    expect(ended.state).toBe('cancelled');
    expect(ended.bytesDone).toBeLessThan(ended.bytesTotal);
    expect(existsSync(`${big}.enc`)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('refuses what is not a file; browses folders', async () => {
    expect(await api('files:start', { kind: 'encrypt', paths: [join(dir, 'nothing')], recipients: [keyId], replace: false })).toMatchObject({ ok: false, error: { __type: 'ValidationException', message: expect.stringMatching(/is not a file that can be read/) as string } });
    expect(await api('files:start', { kind: 'decrypt', paths: [], replace: false })).toMatchObject({ ok: false, error: { __type: 'ValidationException' } });
    const here = join(dir, 'browsed');
    mkdirSync(join(here, 'inner'), { recursive: true });
    writeFileSync(join(here, 'five.txt'), '12345');
    writeFileSync(join(here, '.hidden'), '');
    const folder = await value<Folder>('files:browse', { dir: here });
    expect(folder).toEqual({ dir: here, parent: dir, truncated: false, entries: [{ name: 'inner', path: join(here, 'inner'), kind: 'folder', size: 0 }, { name: 'five.txt', path: join(here, 'five.txt'), kind: 'file', size: 5 }] });
    expect(await api('files:browse', { dir: join(here, 'none') })).toMatchObject({ ok: false, error: { __type: 'NotFoundException' } });
    expect(await value('files:reveal', { path: join(here, 'five.txt') })).toEqual({ folder: here, shown: false });
  });
});
