import { expect, test } from '@playwright/test';
import { capture } from './capture';
import { openUnlocked, startHost, type RunningHost } from './host';

let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost({ withVault: true });
});
test.afterEach(async () => {
  await host.stop();
});

test('the navigation holds every section, each with its screen', async ({ page }, info) => {
  await openUnlocked(page, host);
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await expect(nav.getByRole('button')).toHaveText(['Keys', 'Crypto', 'Files', 'Contacts', 'Users', 'Ceremonies', 'Audit', 'Settings']);
  await expect(page.getByTestId('nav-keys')).toHaveAttribute('aria-current', 'page');
  for (const [id, heading] of [['files', 'Files'], ['ceremonies', 'Ceremonies']] as const) {
    await page.getByTestId(`nav-${id}`).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(page.getByTestId(`nav-${id}`)).toHaveAttribute('aria-current', 'page');
  }
  await capture(page, info, 'shell-ceremonies');
  await page.getByTestId('nav-settings').click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await capture(page, info, 'settings');
});

test('a theme chosen in Settings overrides the system, and "As the system" follows it again', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openUnlocked(page, host);
  const background = (): Promise<string> => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  expect(dark).not.toBe(light);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('theme').selectOption('light');
  expect(await background()).toBe(light);
  await page.getByTestId('theme').selectOption('system');
  expect(await background()).toBe(dark);
});

test('a failed call shows a dismissible notice above the screen that covers no control, and leaves with its screen', async ({ page }, info) => {
  await openUnlocked(page, host);
  await page.getByTestId('nav-crypto').click();
  await page.getByTestId('ciphertext').fill('AAAA');
  await page.getByTestId('decrypt').click();
  const notice = page.getByTestId('error');
  await expect(notice).toContainText('InvalidCiphertextException');
  // The notice pushes the screen down: every control of the screen in sight is itself what a click at its centre reaches.
  // (Controls scrolled out of the screen's own area are out of sight, not covered.)
  const covered = await page.evaluate(() => {
    const view = document.querySelector('main')?.getBoundingClientRect() ?? new DOMRect();
    return [...document.querySelectorAll('main button, main input, main textarea, main select')].flatMap((control) => {
      const r = control.getBoundingClientRect();
      const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
      if (r.width === 0 || y < view.top || y > view.bottom) return [];
      const top = document.elementFromPoint(x, y);
      return top !== null && (control === top || control.contains(top) || (control instanceof HTMLInputElement && control.labels?.[0]?.contains(top) === true)) ? [] : [control.outerHTML.slice(0, 80)];
    });
  });
  expect(covered).toEqual([]);
  await capture(page, info, 'shell-notice');
  await page.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(notice).toHaveCount(0);
  await page.getByTestId('decrypt').click();
  await expect(notice).toHaveCount(1);
  await page.getByTestId('nav-keys').click();
  await expect(notice).toHaveCount(0);
});

test('a lost connection to the host says so and stops showing Unlocked', async ({ page }, info) => {
  await openUnlocked(page, host);
  await expect(page.getByTestId('status-acting')).toContainText('through the browser');
  await host.stop(true);
  await expect(page.getByTestId('vault-state')).toHaveText('Not connected', { timeout: 15_000 });
  await expect(page.getByTestId('error')).toContainText('Strongroom does not answer');
  await expect(page.getByTestId('status-acting')).toHaveCount(0);
  await expect(page.getByTestId('lock')).toHaveCount(0);
  await capture(page, info, 'shell-not-connected');
  host = await startHost({ home: host.home });
});
