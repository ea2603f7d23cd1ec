import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../src-main/host/server';
import { AppCore } from '../../src-main/ipc/appCore';
import { rawRequest, type Answer } from '../helpers/http';
import { tempDir } from '../helpers/temp';
import { PIN } from '../helpers/vault';

const HEADER = 'X-Strongroom-Session';

interface Reply {
  ok: boolean;
  value?: unknown;
  error?: { __type: string; message: string };
}

let core: AppCore;
let host: BrowserHost;
/** What the launched page holds: the cookie the browser keeps, and the secret the page keeps in memory. */
let cookie = '';
let pageSecret = '';

const send = (path: string, options: Parameters<typeof rawRequest>[2] = {}): Promise<Answer> => rawRequest(host.origin, path, options);

async function call(channel: string, body: unknown, headers: Record<string, string>): Promise<Reply> {
  const answer = await send(`/api/${channel}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });
  return JSON.parse(answer.body) as Reply;
}

/** The page's own call: its origin, the cookie and its secret. */
async function pageCall(channel: string, body: unknown): Promise<Reply> {
  const answer = await send(`/api/${channel}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', Origin: host.origin, Cookie: cookie, [HEADER]: pageSecret } });
  const renewed = answer.headers[HEADER.toLowerCase()];
  if (typeof renewed === 'string') pageSecret = renewed;
  return JSON.parse(answer.body) as Reply;
}

beforeAll(async () => {
  const renderer = join(tempDir(), 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><html><head><title>Strongroom</title></head><body></body></html>');
  core = new AppCore(join(tempDir(), 'vault'), 'host');
  host = await startBrowserHost(core, renderer);
  const launch = new URL(host.url);
  const first = await send(launch.pathname + launch.search);
  cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
  pageSecret = /<meta name="strongroom-session" content="([^"]+)">/.exec(first.body)?.[1] ?? '';
});

afterAll(async () => {
  core.close();
  await host.close();
});

describe('browser host session', () => {
  let keyId = '';
  let ciphertext = '';

  it('answers the page that the address opened', async () => {
    expect(await pageCall('vault:init', { pin: PIN, rootOfTrust: 'aes' })).toMatchObject({ ok: true });
    const created = (await pageCall('kms:call', { operation: 'CreateKey', input: {} })) as { value: { KeyMetadata: { KeyId: string } } };
    keyId = created.value.KeyMetadata.KeyId;
    const encrypted = (await pageCall('kms:call', { operation: 'Encrypt', input: { KeyId: keyId, Plaintext: Buffer.from('the secret').toString('base64') } })) as { value: { CiphertextBlob: string } };
    ciphertext = encrypted.value.CiphertextBlob;
    expect(await pageCall('kms:call', { operation: 'Decrypt', input: { CiphertextBlob: ciphertext } })).toMatchObject({ ok: true, value: { Plaintext: Buffer.from('the secret').toString('base64') } });
  });

  it('refuses the cookie replayed by another local process with a forged Origin and Host', async () => {
    // The cookie is scoped to 127.0.0.1, not to the port: any other local server the browser visits receives it.
    const replayed = await call('kms:call', { operation: 'Decrypt', input: { CiphertextBlob: ciphertext } }, { Origin: host.origin, Host: new URL(host.origin).host, Cookie: cookie });
    expect(replayed).toMatchObject({ ok: false, error: { __type: 'AccessDeniedException' } });
    expect(JSON.stringify(replayed)).not.toContain(Buffer.from('the secret').toString('base64'));
    const guessed = await call('kms:call', { operation: 'Decrypt', input: { CiphertextBlob: ciphertext } }, { Origin: host.origin, Cookie: cookie, [HEADER]: 'guess' });
    expect(guessed).toMatchObject({ ok: false, error: { __type: 'AccessDeniedException' } });
  });

  it('refuses the page secret without the cookie', async () => {
    const answer = await call('vault:status', {}, { Origin: host.origin, [HEADER]: pageSecret });
    expect(answer).toMatchObject({ ok: false, error: { __type: 'AccessDeniedException' } });
  });

  it('never shows the page secret again: the page itself, loaded with the cookie, does not carry it', async () => {
    const page = await send('/', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(pageSecret);
    expect(page.body).not.toContain('strongroom-session');
  });

  it('after the vault locks itself for idleness, lets the session only unlock, and the PIN gives the page a new secret', async () => {
    expect(await pageCall('vault:setAutoLock', { seconds: 1 })).toMatchObject({ ok: true });
    const locked = new Promise<void>((resolve) => {
      core.onVaultLock(() => {
        resolve();
      });
    });
    await pageCall('kms:call', { operation: 'GenerateRandom', input: { NumberOfBytes: 8 } });
    await locked;
    const old = pageSecret;
    expect(await pageCall('tokens:list', { pkcs11: '/nowhere.so' })).toMatchObject({ ok: false, error: { __type: 'AccessDeniedException', message: expect.stringContaining('unlock') as unknown } });
    expect(await pageCall('vault:status', {})).toMatchObject({ ok: true, value: { State: 'Locked' } });
    expect(await pageCall('vault:activity', {})).toMatchObject({ ok: true, value: { State: 'Locked' } });
    expect(await pageCall('vault:unlock', { pin: PIN })).toMatchObject({ ok: true, value: { State: 'Unlocked' } });
    expect(pageSecret).not.toBe(old);
    expect(await call('vault:status', {}, { Origin: host.origin, Cookie: cookie, [HEADER]: old })).toMatchObject({ ok: false, error: { __type: 'AccessDeniedException' } });
    expect(await pageCall('kms:call', { operation: 'Decrypt', input: { CiphertextBlob: ciphertext } })).toMatchObject({ ok: true });
    expect(await pageCall('vault:setAutoLock', { seconds: 900 })).toMatchObject({ ok: true });
  });
});
