import type { ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import { lockHolder } from '../../src-main/vault/ownerLock';
import { startHostHolder } from './processes';

/** A session with a browser host: its one-time address traded for the session cookie and the page secret, then its API. */
export async function hostSession(url: string): Promise<(channel: string, body: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { __type: string; message: string } }>> {
  const launch = await fetch(url, { redirect: 'manual' });
  expect(launch.status).toBe(200);
  const cookie = (launch.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  let pageSecret = /<meta name="strongroom-session" content="([^"]+)">/.exec(await launch.text())?.[1] ?? '';
  const { origin } = new URL(url);
  return async (channel, body) => {
    const answer = await fetch(`${origin}/api/${channel}`, { method: 'POST', headers: { Origin: origin, Cookie: cookie, 'X-Strongroom-Session': pageSecret, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    pageSecret = answer.headers.get('X-Strongroom-Session') ?? pageSecret; // an unlock gives the page a new one
    return (await answer.json()) as { ok: boolean; value?: unknown; error?: { __type: string; message: string } };
  };
}

export type Api = (channel: string, body: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { __type: string; message: string } }>;

/** Starts the browser host on the vault in `home` in a process of its own, and opens the vault there (the host opens it at the interface's first request). */
export async function startHost(home: string): Promise<{ child: ChildProcess; api: Api }> {
  const { child, url } = await startHostHolder(home);
  const api = await hostSession(url);
  expect(await api('vault:status', {})).toMatchObject({ ok: true, value: { State: 'Locked' } });
  expect(lockHolder(vaultFiles(home).lock)).toEqual({ pid: child.pid, state: 'locked', kind: 'host' });
  return { child, api };
}

