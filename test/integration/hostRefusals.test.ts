import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPage } from '../../src-main/audit/page';
import { startBrowserHost, type BrowserHost } from '../../src-main/host/server';
import { AppCore } from '../../src-main/ipc/appCore';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import { openDatabaseReadOnly } from '../../src-main/vault/db';
import { tempDir } from '../helpers/temp';

const JUNK = 20_000;
const PARALLEL = 32;

let core: AppCore | undefined;
let host: BrowserHost;
let home = '';
const agent = new Agent({ keepAlive: true, maxSockets: PARALLEL });

function post(path: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, host.origin), { method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve(res.statusCode ?? 0);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sizes of the vault's database and its write-ahead log, in bytes. */
function vaultBytes(): number {
  const { db } = vaultFiles(home);
  const size = (file: string): number => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  };
  return size(db) + size(`${db}-wal`);
}

beforeAll(async () => {
  const renderer = join(tempDir(), 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><html><head><title>Strongroom</title></head><body></body></html>');
  home = join(tempDir(), 'vault');
  core = new AppCore(home, 'host');
  host = await startBrowserHost(core, renderer);
  const launch = new URL(host.url);
  const first = await fetch(`${launch.origin}${launch.pathname}${launch.search}`, { redirect: 'manual' });
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const pageSecret = /<meta name="strongroom-session" content="([^"]+)">/.exec(await first.text())?.[1] ?? '';
  const init = await fetch(`${host.origin}/api/vault:init`, { method: 'POST', headers: { Origin: host.origin, Cookie: cookie, 'X-Strongroom-Session': pageSecret, 'Content-Type': 'application/json' }, body: JSON.stringify({ pin: '135790', rootOfTrust: 'aes' }) });
  expect(((await init.json()) as { ok: boolean }).ok).toBe(true);
});

afterAll(async () => {
  core?.close();
  agent.destroy();
  await host.close();
});

describe('refused requests to the browser host', () => {
  it('cannot fill the disk: a flood of junk grows the vault by little, and the audit log sums it up', async () => {
    const before = vaultBytes();
    const long = 'x'.repeat(8000);
    const junk: [string, Record<string, string>, string][] = [
      [`/api/${long}`, { Origin: 'http://evil.example', 'Content-Type': 'application/json' }, '{}'],
      ['/api/vault:status', { Origin: `http://${long}`, 'User-Agent': long, 'Content-Type': 'application/json' }, '{}'],
      ['/api/kms:call', { Origin: host.origin, Cookie: `strongroom_session=${long}`, 'Content-Type': 'application/json' }, JSON.stringify({ operation: 'Decrypt', input: { CiphertextBlob: long } })],
      ['/api/vault:status', { Origin: host.origin, 'Content-Type': 'text/plain' }, long],
    ];
    let sent = 0;
    const worker = async (): Promise<void> => {
      while (sent < JUNK) {
        const [path, headers, body] = junk[sent % junk.length] ?? ['/api/x', {}, ''];
        sent += 1;
        expect(await post(path, headers, body)).toBe(403);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    core?.close(); // writes the summary of what was not recorded one by one
    core = undefined;
    const grown = vaultBytes() - before;
    expect(grown).toBeLessThan(300 * 1024);

    const db = openDatabaseReadOnly(vaultFiles(home).db);
    try {
      const records = auditPage(db, { limit: 1000 }).records as { eventName: string; requestParameters?: Record<string, unknown>; errorMessage?: string; userAgent?: string }[];
      const refused = records.filter((r) => r.eventName === 'RefusedRequest');
      const summaries = records.filter((r) => r.eventName === 'RefusedRequests');
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.length).toBeLessThan(JUNK / 10);
      expect(summaries.length).toBeGreaterThan(0);
      const counted = summaries.reduce((sum, r) => sum + Number(r.requestParameters?.count), 0);
      expect(counted + refused.length).toBe(JUNK);
      expect(summaries[0]?.errorMessage).toMatch(/^\d+ refused requests in the last \d+ s/);
      expect(Object.keys(summaries[0]?.requestParameters?.reasons as object)).toContain('no session secret');
      const withAgent = refused.find((r) => r.requestParameters?.userAgent !== undefined);
      expect(withAgent?.requestParameters?.userAgent).toBe(`${'x'.repeat(128)}…`);
      // Every field cut short, and no request body kept.
      for (const record of [...refused, ...summaries]) expect(JSON.stringify(record).length).toBeLessThan(2000);
    } finally {
      db.close();
    }
  });
});
