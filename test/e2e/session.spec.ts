// The session as a person meets it: unlocking by keyboard alone, secrets
// masked and copied with a clearing clipboard, Settings (change PIN among
// them), the warning before the idle lock, and what a lock keeps and clears.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { capture } from './capture';
import { PIN, startHost, type RunningHost } from './host';

const CLI = join(__dirname, '..', '..', 'bin', 'strongroom.cjs');
const NEW_PIN = 'quartz-lantern-orbit-meadow-42';
const SECRET_TEXT = 'the merger closes on Friday';

let dir = '';
let host: RunningHost;
let page: Page;

function strongroom(home: string, args: string[]): void {
  const run = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, STRONGROOM_HOME: home, STRONGROOM_PIN: PIN }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`strongroom ${args.join(' ')} failed: ${run.stderr}`);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  // A vault with one key, alias/session, made on the command line before the host holds it.
  dir = mkdtempSync(join(tmpdir(), 'strongroom-e2e-'));
  const home = join(dir, 'vault');
  strongroom(home, ['init']);
  const created = spawnSync(process.execPath, [CLI, 'kms', 'create-key', '--query', 'KeyMetadata.KeyId', '--output', 'text'], { env: { ...process.env, STRONGROOM_HOME: home, STRONGROOM_PIN: PIN }, encoding: 'utf8' });
  strongroom(home, ['kms', 'create-alias', '--alias-name', 'alias/session', '--target-key-id', created.stdout.trim()]);
  host = await startHost({ home });
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  page = await context.newPage();
  // The page's clock runs in step with the real one, except where a test moves it.
  await page.clock.install();
});

test.afterAll(async () => {
  await page.context().close();
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
});

const clipboardText = (): Promise<string> => page.evaluate(() => navigator.clipboard.readText());

test('unlocks by keyboard alone, and says how many tries are left after a wrong passphrase', async () => {
  await page.goto(host.url);
  await expect(page.getByTestId('pin')).toBeFocused();
  await page.keyboard.type('not the passphrase');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tries-left')).toHaveText('9 tries left before the vault locks out.');
  await expect(page.getByTestId('pin')).toBeFocused();
  await page.keyboard.type(PIN);
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('unlock')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('vault-state')).toHaveText('Unlocked');
});

test('masks plaintexts, data keys and random bytes until shown, and clears a copied secret from the clipboard', async () => {
  const info = test.info();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('clipboard-seconds').selectOption('10');
  await page.getByTestId('nav-crypto').click();
  await page.getByTestId('crypto-key').fill('alias/session');
  await page.getByTestId('crypto-input').fill(SECRET_TEXT);
  await page.getByTestId('encrypt').click();
  await expect(page.getByTestId('ciphertext')).toHaveValue(/^[A-Za-z0-9+/]+=*$/);
  await page.getByTestId('decrypt').click();
  await page.getByTestId('generate-data-key-256').click();
  await page.getByTestId('generate-random').click();
  for (const secret of ['plaintext', 'data-key', 'random']) {
    await expect(page.getByTestId(`${secret}-masked`)).toBeVisible();
    await expect(page.getByTestId(secret)).toHaveCount(0);
  }
  expect(await page.locator('main').textContent()).not.toContain(SECRET_TEXT);

  // Each Copy button says what it copies.
  for (const what of ['ciphertext', 'plaintext', 'data key', 'encrypted data key', 'random bytes']) await expect(page.getByRole('button', { name: `Copy ${what}`, exact: true })).toHaveCount(1);
  await page.getByRole('button', { name: 'Copy ciphertext', exact: true }).click();
  await expect(page.getByTestId('copy-ciphertext-notice')).toHaveText('Copied.');
  await page.getByRole('button', { name: 'Copy plaintext', exact: true }).click();
  await expect(page.getByTestId('copy-plaintext-notice')).toHaveText('Copied; the clipboard clears in 10 s.');
  expect(await clipboardText()).toBe(SECRET_TEXT);
  await capture(page, info, 'session-secrets-masked-copied');

  await page.getByRole('button', { name: 'Show plaintext' }).click();
  await expect(page.getByTestId('plaintext')).toHaveText(SECRET_TEXT);
  await page.getByRole('button', { name: 'Show data key' }).click();
  await expect(page.getByTestId('data-key')).toHaveText(/^[A-Za-z0-9+/]{43}=$/);
  await page.getByTestId('mask-input').check();
  await expect(page.getByTestId('crypto-input')).toHaveCSS('-webkit-text-security', 'disc');
  await capture(page, info, 'session-secrets-shown');
  await page.getByRole('button', { name: 'Hide plaintext' }).click();
  await expect(page.getByTestId('plaintext')).toHaveCount(0);

  // The delay passes (on the page's clock): the clipboard, still holding the copy, is cleared.
  await page.clock.fastForward(10_000);
  await expect(page.getByTestId('copy-plaintext-notice')).toHaveText('The clipboard was cleared.');
  expect(await clipboardText()).toBe('');
  // A copy the person replaced is left alone.
  await page.getByRole('button', { name: 'Copy random bytes', exact: true }).click();
  await page.evaluate(() => navigator.clipboard.writeText('something else'));
  await page.clock.fastForward(10_000);
  await expect(page.getByTestId('copy-random-notice')).toHaveText('The clipboard had changed since the copy, so it was left alone.');
  expect(await clipboardText()).toBe('something else');
  await page.clock.setSystemTime(new Date());
});

test('Settings: unlock attempts, theme, and changing the passphrase, which counts a wrong current one', async () => {
  const info = test.info();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('auto-lock')).toHaveValue('900');
  await page.getByTestId('unlock-attempts').fill('0');
  await expect(page.getByTestId('attempts-error')).toContainText('A whole number from 1 to 100');
  await expect(page.getByTestId('save-unlock-attempts')).toBeDisabled();
  await page.getByTestId('unlock-attempts').fill('5');
  await page.getByTestId('save-unlock-attempts').click();
  await expect(page.getByTestId('save-unlock-attempts')).toBeDisabled();
  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('theme').selectOption('system');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme');
  await capture(page, info, 'session-settings');

  // A weak new passphrase is refused before anything is sent, with the estimate.
  await page.getByTestId('current-pin').fill(PIN);
  await page.getByTestId('new-pin').fill('password123');
  await page.getByTestId('new-pin-confirm').fill('password123');
  await expect(page.getByTestId('passphrase-strength')).toContainText('Too easy to guess');
  await expect(page.getByTestId('change-pin')).toBeDisabled();

  // A wrong current passphrase is a wrong unlock: counted, and said at its field.
  await page.getByTestId('current-pin').fill('not the passphrase');
  await page.getByTestId('new-pin').fill(NEW_PIN);
  await page.getByTestId('new-pin-confirm').fill(NEW_PIN);
  await expect(page.getByTestId('passphrase-strength')).toContainText('Strong enough');
  await page.getByTestId('change-pin').click();
  await expect(page.getByTestId('currentPin-error')).toContainText('IncorrectPinException');
  await expect(page.getByTestId('currentPin-error')).toContainText('4 tries left before the vault locks out');
  await expect(page.getByTestId('change-pin-tries-left')).toContainText('4 tries left before the vault locks out');
  await expect(page.getByTestId('current-pin')).toHaveValue('');
  await capture(page, info, 'session-change-pin-wrong');

  await page.getByTestId('current-pin').fill(PIN);
  await page.getByTestId('change-pin').click();
  await expect(page.getByTestId('pin-changed')).toContainText('was changed');
  await expect(page.getByTestId('change-pin-tries-left')).toHaveCount(0);

  // PINs typed here are not kept across a lock.
  await page.getByTestId('current-pin').fill('typed, not sent');
  await page.getByTestId('lock').click();
  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('pin').press('Enter');
  await expect(page.getByTestId('pin-error')).toContainText('IncorrectPinException');
  await page.getByTestId('pin').fill(NEW_PIN);
  await page.getByTestId('pin').press('Enter');
  await expect(page.getByTestId('vault-state')).toHaveText('Unlocked');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(page.getByTestId('current-pin')).toHaveValue('');
});

test('warns before the idle lock with a countdown, which Stay unlocked puts off', async () => {
  const info = test.info();
  // The page's clock moves to 50 s before the lock (the vault itself keeps real time and stays unlocked).
  const checked = page.waitForResponse((r) => r.url().endsWith('/api/vault:status'));
  await page.clock.fastForward(850_000);
  const lockAt = ((await (await checked).json()) as { value: { AutoLockAt: number } }).value.AutoLockAt;
  await expect(page.getByTestId('idle-warning')).toBeVisible();
  const left = Number((await page.getByTestId('idle-countdown').textContent())?.replace(' s', ''));
  expect(left).toBeGreaterThan(30);
  expect(left).toBeLessThanOrEqual(60);
  await expect(page.getByRole('region', { name: 'Auto-lock warning' })).toContainText('The vault locks in');
  await capture(page, info, 'session-idle-warning');

  // Stay unlocked reports activity at once: the vault's idle clock starts again.
  const reported = page.waitForResponse((r) => r.url().endsWith('/api/vault:activity'));
  await page.getByTestId('stay-unlocked').click();
  const stayed = ((await (await reported).json()) as { value: { State: string; AutoLockAt: number } }).value;
  expect(stayed.State).toBe('Unlocked');
  expect(stayed.AutoLockAt).toBeGreaterThan(lockAt);
  await page.clock.setSystemTime(new Date());
  await expect(page.getByTestId('idle-warning')).toHaveCount(0);
});

test('locks when idle, after the warning; keeps the draft and clears every secret', async () => {
  await page.getByTestId('auto-lock').selectOption('other');
  await page.getByTestId('auto-lock-seconds').fill('12');
  await page.getByTestId('save-auto-lock').click();
  await expect(page.getByTestId('auto-lock')).toHaveValue('12');
  await expect(page.getByTestId('auto-lock').locator('option:checked')).toHaveText('after 12 s');
  await expect(page.getByTestId('auto-lock-seconds')).toHaveCount(0);
  await page.getByTestId('clipboard-seconds').selectOption('300');

  await page.getByTestId('nav-crypto').click();
  await page.getByTestId('crypto-key').fill('alias/session');
  await page.getByTestId('add-context').click();
  await page.getByTestId('context-key').fill('department');
  await page.getByTestId('context-value').fill('legal');
  await page.getByTestId('crypto-input').fill(SECRET_TEXT);
  // The draft may still hold an earlier test's ciphertext: empty it, so the value read is this Encrypt's.
  await page.getByTestId('ciphertext').fill('');
  await page.getByTestId('encrypt').click();
  await expect(page.getByTestId('ciphertext')).toHaveValue(/^[A-Za-z0-9+/]+=*$/);
  const ciphertext = await page.getByTestId('ciphertext').inputValue();
  await page.getByTestId('decrypt').click();
  await page.getByRole('button', { name: 'Copy plaintext', exact: true }).click();
  expect(await clipboardText()).toBe(SECRET_TEXT);

  // Nothing more happens: the warning comes 3 s before the lock, leaving the focus where it was, and then the vault locks itself.
  await expect(page.getByTestId('idle-warning')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Copy plaintext', exact: true })).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Unlock the vault' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('lock-reason')).toContainText('Locked after the idle time');
  expect(await page.content()).not.toContain(SECRET_TEXT);
  expect(await clipboardText()).toBe('');

  await page.getByTestId('pin').fill(NEW_PIN);
  await page.getByTestId('pin').press('Enter');
  await expect(page.getByRole('heading', { name: 'Crypto console' })).toBeVisible();
  await expect(page.getByTestId('crypto-key')).toHaveValue('alias/session');
  await expect(page.getByTestId('context-key')).toHaveValue('department');
  await expect(page.getByTestId('context-value')).toHaveValue('legal');
  await expect(page.getByTestId('ciphertext')).toHaveValue(ciphertext);
  await expect(page.getByTestId('crypto-input')).toHaveValue('');
  await expect(page.getByTestId('plaintext-masked')).toHaveCount(0);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('auto-lock').selectOption('900');
  await expect(page.getByTestId('auto-lock')).toHaveValue('900');
});
