import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../src-main/host/server';
import { AppCore } from '../../src-main/ipc/appCore';
import { permissionAllowed, senderRefusal } from '../../src-main/ipc/senderCheck';
import { rawRequest, type Answer } from '../helpers/http';
import { tempDir } from '../helpers/temp';
import { PIN } from '../helpers/vault';

let core: AppCore;
let host: BrowserHost;
let cookie = '';
let pageSecret = '';


const send = (path: string, options: Parameters<typeof rawRequest>[2] = {}): Promise<Answer> => rawRequest(host.origin, path, options);

const api = (channel: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
  send(`/api/${channel}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { Origin: host.origin, Cookie: cookie, 'X-Strongroom-Session': pageSecret, 'Content-Type': 'application/json', ...headers } });

beforeAll(async () => {
  const renderer = join(tempDir(), 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><html><head><title>Strongroom</title></head></html>');
  core = new AppCore(join(tempDir(), 'vault'), 'host');
  host = await startBrowserHost(core, renderer);
  const first = await send(new URL(host.url).pathname + new URL(host.url).search);
  expect(first.status).toBe(200);
  cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
  pageSecret = /<meta name="strongroom-session" content="([^"]+)">/.exec(first.body)?.[1] ?? '';
  expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
});

afterAll(async () => {
  core.close();
  await host.close();
});

describe('browser host', () => {
  it('listens on loopback only and serves the page with a strict CSP to the session', async () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await send('/', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    // The page's own policy is the header's, but for frame-ancestors, which browsers take only from a header.
    const html = readFileSync(join(__dirname, '..', '..', 'src-renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    expect(`${meta ?? ''}; frame-ancestors 'none'`).toBe(page.headers['content-security-policy']);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect((await send('/')).status).toBe(401);
    expect((await send('/?secret=wrong')).status).toBe(401);
    expect((await send('/../../etc/passwd', { headers: { Cookie: cookie } })).status).toBe(404);
  });

  it('lets its address be used once, trading its secret for the cookie and the page secret', async () => {
    const launchSecret = new URL(host.url).searchParams.get('secret') ?? '';
    await host.launched; // settled by the first visit, in beforeAll
    const again = await send(new URL(host.url).pathname + new URL(host.url).search);
    expect(again.status).toBe(401);
    expect(again.body).toMatch(/works once/);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(cookie).not.toContain(launchSecret);
    expect(pageSecret).toMatch(/^[\w-]{43}$/);
    expect(cookie).not.toContain(pageSecret);
    const withLaunchSecret = await api('vault:status', {}, { Cookie: `strongroom_session=${launchSecret}` });
    expect(withLaunchSecret.status).toBe(403);
    expect((await send(new URL(host.url).pathname + new URL(host.url).search, { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('answers the channel map for its own origin and session', async () => {
    const init = await api('vault:init', { pin: PIN, rootOfTrust: 'aes' });
    expect(JSON.parse(init.body)).toMatchObject({ ok: true, value: { status: { State: 'Unlocked' }, securityOfficerPin: expect.any(String) as unknown } });
    const created = JSON.parse((await api('kms:call', { operation: 'CreateKey', input: { Description: 'over http' } })).body) as { ok: boolean; value: { KeyMetadata: { KeyId: string } } };
    expect(created.ok).toBe(true);
    const error = JSON.parse((await api('kms:call', { operation: 'Encrypt', input: { KeyId: created.value.KeyMetadata.KeyId, Plaintext: '' } })).body) as unknown;
    expect(error).toMatchObject({ ok: false, error: { __type: 'ValidationException' } });
  });

  it('refuses, and audits, a foreign origin, a missing session, a wrong Host, a malformed payload and an unknown channel', async () => {
    const refusals: [Answer, string][] = [
      [await api('vault:status', {}, { Origin: 'http://evil.example' }), 'origin http://evil.example'],
      [await api('vault:status', {}, { Origin: '' }), 'origin'],
      [await api('vault:status', {}, { Cookie: 'strongroom_session=guess' }), 'no session secret'],
      [await api('vault:status', {}, { 'X-Strongroom-Session': 'guess' }), 'no page secret'],
      [await api('vault:status', '{not json'), 'malformed payload'],
      [await api('vault:status', {}, { 'Content-Type': 'text/plain' }), 'content type'],
    ];
    for (const [answer, reason] of refusals) {
      expect(answer.status, reason).toBe(403);
      expect(JSON.parse(answer.body), reason).toMatchObject({ ok: false, error: { __type: 'AccessDeniedException', message: expect.stringContaining(reason) as unknown } });
    }
    expect((await send('/api/vault:status', { method: 'POST', headers: { Host: 'evil.example', Origin: host.origin, Cookie: cookie } })).status).toBe(421);
    expect(JSON.parse((await api('vault:nope', {})).body)).toMatchObject({ ok: false, error: { __type: 'ValidationException' } });
    expect(JSON.parse((await api('vault:unlock', { pin: 123 })).body)).toMatchObject({ ok: false, error: { __type: 'ValidationException' } });
    const page = JSON.parse((await api('audit:page', { limit: 50, eventName: 'RefusedRequest' })).body) as { value: { records: { requestParameters: { channel: string; reason: string }; errorCode: string }[] } };
    const recorded = page.value.records.map((r) => [r.requestParameters.reason, r.errorCode]);
    for (const reason of ['origin http://evil.example', 'no session secret', 'no page secret', 'malformed payload', 'content type']) expect(recorded).toContainEqual([reason, 'AccessDeniedException']);
    expect(recorded).toContainEqual(['There is no such channel.', 'ValidationException']);
    const badPin = page.value.records.find((r) => r.requestParameters.channel === 'vault:unlock');
    expect(badPin).toMatchObject({ errorCode: 'ValidationException', requestParameters: { reason: expect.stringContaining("'pin'") as unknown } });
  });
});

describe('Electron IPC sender check', () => {
  const mainFrame = { url: 'file:///app/out/renderer/index.html' };
  const webContents = { mainFrame };
  const window = { webContents };
  const renderer = 'file:///app/out/renderer/index.html';

  it('accepts the main frame of our window showing our renderer', () => {
    expect(senderRefusal({ sender: webContents, senderFrame: mainFrame }, window, renderer)).toBeUndefined();
  });

  it('refuses another window, a subframe, and a frame showing another page', () => {
    expect(senderRefusal({ sender: { mainFrame }, senderFrame: mainFrame }, window, renderer)).toBe('sender is not the Strongroom window');
    expect(senderRefusal({ sender: webContents, senderFrame: { url: renderer } }, window, renderer)).toBe('sender is not the main frame');
    expect(senderRefusal({ sender: webContents, senderFrame: null }, window, renderer)).toBe('sender is not the main frame');
    const navigated = { url: 'https://evil.example/' };
    const navigatedContents = { mainFrame: navigated };
    expect(senderRefusal({ sender: navigatedContents, senderFrame: navigated }, { webContents: navigatedContents }, renderer)).toBe('sender shows https://evil.example/');
  });

  it('grants the window clipboard writes for its Copy buttons, to the main frame of our renderer only, and nothing else', () => {
    expect(permissionAllowed('clipboard-sanitized-write', { requestingUrl: renderer, isMainFrame: true }, renderer)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', { requestingUrl: `${renderer}#keys`, isMainFrame: true }, renderer)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', { requestingUrl: renderer, isMainFrame: false }, renderer)).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', { requestingUrl: 'https://evil.example/', isMainFrame: true }, renderer)).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', { isMainFrame: true }, renderer)).toBe(false);
    for (const permission of ['clipboard-read', 'media', 'notifications', 'openExternal']) expect(permissionAllowed(permission, { requestingUrl: renderer, isMainFrame: true }, renderer)).toBe(false);
  });
});
