import { expect, test } from '@playwright/test';
import { startHost, type RunningHost } from './host';

let host: RunningHost;
test.beforeAll(async () => {
  host = await startHost();
});
test.afterAll(async () => {
  await host.stop();
});

test('the browser host serves the interface to the address it printed, and only there', async ({ page, context }) => {
  const response = await page.goto(host.url);
  expect(response?.status()).toBe(200);
  expect(page.url()).toBe(`${host.origin}/`);
  await expect(page).toHaveTitle('Strongroom');
  const cookies = await context.cookies();
  expect(cookies).toEqual([expect.objectContaining({ name: 'strongroom_session', httpOnly: true, sameSite: 'Strict' })]);
  // The page talks to the core through the channel map.
  const status = await page.evaluate(async () => {
    const r = await fetch('/api/vault:status', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    return (await r.json()) as unknown;
  });
  expect(status).toMatchObject({ ok: true, value: { Initialized: false, State: 'Uninitialized' } });
});

test('a page from another origin cannot reach the API, even with the browser holding the session', async ({ page }) => {
  await page.goto(host.url);
  // A different origin (localhost is not 127.0.0.1) that the browser sends requests from.
  const other = host.origin.replace('127.0.0.1', 'localhost');
  const answer = await page.evaluate(async (target) => {
    try {
      const r = await fetch(`${target}/api/vault:status`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', credentials: 'include' });
      return { status: r.status };
    } catch (error) {
      return { blocked: String(error) };
    }
  }, other);
  expect(answer).not.toEqual({ status: 200 });
});

test('a fresh browser without the secret gets nothing', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(host.origin);
  expect(response?.status()).toBe(401);
  await context.close();
});
