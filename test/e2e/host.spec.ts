import { expect, test } from '@playwright/test';
import { startHost, type RunningHost } from './host';

// A host for each test: its address works once.
let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await host.stop();
});

test('the browser host serves the interface to the address it printed, and only there', async ({ page, context }) => {
  const response = await page.goto(host.url);
  expect(response?.status()).toBe(200);
  expect(page.url()).toBe(`${host.origin}/`);
  await expect(page).toHaveTitle('Strongroom');
  const cookies = await context.cookies();
  expect(cookies).toEqual([expect.objectContaining({ name: 'strongroom_session', httpOnly: true, sameSite: 'Strict' })]);
  // The page talks to the core through the channel map, with the secret that only it holds: not in its DOM, not in its address.
  await expect(page.getByRole('heading', { name: 'Set up Strongroom' })).toBeVisible();
  expect(await page.locator('meta[name="strongroom-session"]').count()).toBe(0);
  // The cookie alone, which the browser also hands to any other server on 127.0.0.1, gets nothing.
  const cookieOnly = await page.evaluate(async () => {
    const r = await fetch('/api/vault:status', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    return { status: r.status, reply: (await r.json()) as unknown };
  });
  expect(cookieOnly).toMatchObject({ status: 403, reply: { ok: false, error: { __type: 'AccessDeniedException' } } });
});

test('a reloaded page has no session, and says how to get a new one', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Set up Strongroom' })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('error')).toContainText('SessionEndedException');
  await expect(page.getByTestId('error')).toContainText('strongroom ui');
});

test('the page loads without an error in the console, its CSP among them', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Set up Strongroom' })).toBeVisible();
  expect(errors).toEqual([]);
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

test('another browser gets nothing, without the address or with it once it has been used', async ({ page, browser }) => {
  expect((await page.goto(host.url))?.status()).toBe(200);
  const context = await browser.newContext();
  const other = await context.newPage();
  expect((await other.goto(host.origin))?.status()).toBe(401);
  expect((await other.goto(host.url))?.status()).toBe(401);
  await context.close();
});
