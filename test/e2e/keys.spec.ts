import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { capture } from './capture';
import { openUnlocked, PIN, startHost, type RunningHost } from './host';

const CLI = join(__dirname, '..', '..', 'bin', 'strongroom.cjs');

/** Runs the CLI on a vault home that no host holds yet, and gives its JSON answer. */
function cli(home: string, ...args: string[]): Record<string, unknown> {
  const run = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, STRONGROOM_HOME: home, STRONGROOM_PIN: PIN }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`strongroom ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout.trim() === '' ? {} : (JSON.parse(run.stdout) as Record<string, unknown>);
}

/** Creates a key with the CLI and gives its id. */
function createKey(home: string, description: string): string {
  return (cli(home, 'kms', 'create-key', '--description', description).KeyMetadata as { KeyId: string }).KeyId;
}

let dir: string;
let host: RunningHost;
/** A vault with keys made by `seed` (through the CLI, before the host holds it), served by a fresh host. */
async function hostWith<T>(seed: (home: string) => T): Promise<T> {
  dir = mkdtempSync(join(tmpdir(), 'strongroom-keys-'));
  const home = join(dir, 'vault');
  cli(home, 'init');
  const seeded = seed(home);
  host = await startHost({ home });
  return seeded;
}
test.afterEach(async () => {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Presses Tab (only the keyboard) until the element with `testid` has the focus. */
async function tabTo(page: Page, testid: string): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    if ((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === testid) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testid}`);
}

const openers = (page: Page): Promise<string[]> => page.getByTestId('open-key').allTextContents().then((texts) => texts.map((t) => t.trim()));

test('the list leads with aliases and descriptions, shows state as a badge, sorts by each column, creates at the top, and keeps ids on one line', async ({ page }, info) => {
  const [payroll, archive, backups, plain] = await hostWith((home) => {
    const ids = [createKey(home, 'Payroll exports'), createKey(home, 'archive'), createKey(home, 'Backups'), createKey(home, '')];
    cli(home, 'kms', 'create-alias', '--alias-name', 'alias/payroll', '--target-key-id', ids[0] ?? '');
    cli(home, 'kms', 'create-alias', '--alias-name', 'alias/archive', '--target-key-id', ids[1] ?? '');
    cli(home, 'kms', 'schedule-key-deletion', '--key-id', ids[1] ?? '', '--pending-window-in-days', '7');
    cli(home, 'kms', 'disable-key', '--key-id', ids[2] ?? '');
    return ids.map((id) => id.slice(0, 8));
  });
  await openUnlocked(page, host);
  const main = page.getByRole('main');
  // Create first, then the filters, then the table whose first columns are alias and description.
  await expect(main.getByRole('button').first()).toHaveText('Create key');
  await expect(page.getByRole('columnheader')).toHaveText([/^Alias/, /^Description/, /^State/, /^Created/, 'Key ID']);
  await expect(page.getByTestId('key-row')).toHaveCount(4);
  expect(await openers(page)).toEqual(['alias/payroll', 'alias/archive', `${backups ?? ''}, key without alias`, `${plain ?? ''}, key without alias`]);
  const badges = page.getByTestId('key-badge');
  await expect(badges).toHaveText(['Enabled', /^Pending deletion, on .+/, 'Disabled', 'Enabled']);
  await expect(page.getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'ascending');
  await capture(page, info, 'keys-list');

  // Each column sorts, one way then the other; keys without aliases stay after those with.
  await page.getByTestId('sort-alias').click();
  await expect(page.getByRole('columnheader', { name: 'Alias' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'none');
  await expect.poll(() => openers(page).then((o) => o.slice(0, 2))).toEqual(['alias/archive', 'alias/payroll']);
  await page.getByTestId('sort-alias').click();
  await expect(page.getByRole('columnheader', { name: 'Alias' })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => openers(page).then((o) => o.slice(0, 2))).toEqual(['alias/payroll', 'alias/archive']);
  expect((await openers(page)).slice(2).every((o) => o.endsWith(', key without alias'))).toBe(true);
  await page.getByTestId('sort-description').click();
  await expect.poll(() => page.locator('td.description').allTextContents()).toEqual(['', 'archive', 'Backups', 'Payroll exports']);
  await page.getByTestId('sort-state').click();
  await expect(badges).toHaveText(['Disabled', 'Enabled', 'Enabled', /^Pending deletion/]);
  await page.getByTestId('sort-state').click();
  await expect(badges).toHaveText([/^Pending deletion/, 'Enabled', 'Enabled', 'Disabled']);
  await expect(page.getByRole('table')).toContainText('by state, descending');
  await capture(page, info, 'keys-list-sorted');

  // Ids stay on one line at 1024 px, the whole id in the page and in the title.
  await page.setViewportSize({ width: 1024, height: 700 });
  for (const cell of await page.getByTestId('key-id').all()) {
    const lines = await cell.evaluate((el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight || '20')));
    expect(lines).toBe(1);
    expect(await cell.getAttribute('title')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await cell.textContent()).toBe(await cell.getAttribute('title'));
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // The filters stay, and combine with the sort.
  await page.getByTestId('key-state-filter').selectOption('PendingDeletion');
  await page.getByTestId('key-filter-apply').click();
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await expect(page.getByTestId('key-row')).toContainText(archive ?? '');
  await page.getByTestId('key-state-filter').selectOption('');
  await page.getByTestId('key-filter').fill('payroll');
  await page.getByTestId('key-filter-apply').click();
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await expect(page.getByTestId('key-row')).toContainText(payroll ?? '');

  // "Create key" opens the create form in a dialog; Escape closes it without creating.
  await page.getByTestId('create-key-open').click();
  await expect(page.getByTestId('create-key-dialog')).toBeVisible();
  await expect(page.getByTestId('create-key-description')).toBeFocused();
  await capture(page, info, 'keys-create');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('create-key-dialog')).toHaveCount(0);
  await expect(page.getByTestId('create-key-open')).toBeFocused();
});

test("a key's detail: ARIA tabs moved with the arrow keys, copy buttons, Escape closes editors, its audit with paging, and focus back on its row", async ({ page, context }, info) => {
  const keyId = await hostWith((home) => {
    createKey(home, 'first');
    const id = createKey(home, 'Quarterly reports');
    createKey(home, 'third');
    cli(home, 'kms', 'create-alias', '--alias-name', 'alias/reports', '--target-key-id', id);
    cli(home, 'kms', 'encrypt', '--key-id', 'alias/reports', '--plaintext', Buffer.from('Q3').toString('base64'));
    return id;
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openUnlocked(page, host);
  await page.getByRole('button', { name: 'alias/reports' }).click();
  await expect(page.getByTestId('key-title')).toContainText('alias/reports');
  await expect(page.getByTestId('key-title')).toBeFocused();
  await expect(page.getByRole('tab')).toHaveText(['Overview', 'Aliases and tags', 'Rotation', 'Data key pairs', 'Policy', 'Grants', 'Audit']);
  await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toHaveAttribute('aria-labelledby', 'key-tab-overview');
  await capture(page, info, 'key-overview');

  // Copy buttons put the ARN and the id on the clipboard, and say so beside the button.
  await page.getByTestId('copy-arn').click();
  await expect(page.getByTestId('copy-arn-notice')).toHaveText('Copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.getByTestId('key-arn').textContent());
  await page.getByTestId('copy-key-id').click();
  await expect(page.getByTestId('copy-key-id-notice')).toHaveText('Copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(keyId);

  // Back to the list, the focus is on the row of the key that was open (and each visit to the key leaves records of it).
  for (let visit = 0; visit < 3; visit += 1) {
    await page.getByTestId('key-close').click();
    await expect(page.getByTestId('key-list')).toBeVisible();
    await expect(page.getByRole('button', { name: 'alias/reports' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('key-title')).toBeFocused();
  }

  // Escape closes the description editor, keeps the description, and gives the focus back to Edit.
  await page.getByTestId('edit-description').click();
  await expect(page.getByTestId('description-input')).toBeFocused();
  await page.getByTestId('description-input').fill('changed, then abandoned');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('description-input')).toHaveCount(0);
  await expect(page.getByTestId('key-description')).toHaveText('Quarterly reports');
  await expect(page.getByTestId('edit-description')).toBeFocused();

  // The arrow keys move between the tabs (wrapping), Home and End go to the ends; each tab shows its panel.
  await page.getByRole('tab', { name: 'Overview' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Aliases and tags' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Aliases and tags' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('tabindex', '-1');
  await expect(page.getByTestId('panel-names')).toContainText('alias/reports');
  await capture(page, info, 'key-aliases-and-tags');
  // Escape closes the alias and tag editors too.
  await page.getByTestId('new-alias-open').click();
  await expect(page.getByTestId('new-alias')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('new-alias')).toHaveCount(0);
  await expect(page.getByTestId('new-alias-open')).toBeFocused();
  await page.getByTestId('new-tag-open').click();
  await expect(page.getByTestId('tag-key')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('tag-key')).toHaveCount(0);
  await expect(page.getByTestId('new-tag-open')).toBeFocused();

  await page.getByRole('tab', { name: 'Aliases and tags' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Rotation' })).toBeFocused();
  await expect(page.getByTestId('rotation-status')).toHaveText('Automatic rotation is off.');
  await capture(page, info, 'key-rotation');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Audit' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Overview' })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Audit' })).toBeFocused();

  // The Audit tab: this key's records only, newest first, with who did what and the result; older ones page in.
  const rows = page.getByTestId('key-audit-row');
  await expect(rows).toHaveCount(20);
  await expect(rows.first()).toContainText('account root (browser)');
  await expect(rows.first()).toContainText('Succeeded');
  await capture(page, info, 'key-audit');
  await page.getByTestId('key-audit-older').click();
  await expect.poll(() => rows.count()).toBeGreaterThan(20);
  const events = (await rows.locator('td:nth-child(2)').allTextContents()).map((e) => e.trim());
  // Oldest last: the CLI made, named and used the key; no record of the other keys is here.
  expect(events.slice(-3)).toEqual(['Encrypt', 'CreateAlias', 'CreateKey']);
  await expect(rows.last()).toContainText('account root (CLI)');
  expect(events.filter((e) => e === 'CreateKey')).toHaveLength(1);
  await expect(page.getByTestId('key-audit-older')).toHaveCount(0);
});

test('scheduling deletion: the alias typed back, the last use shown, a pending banner with a one-click cancel; disable is plain and asks apart', async ({ page }, info) => {
  await hostWith((home) => {
    const id = createKey(home, 'Payroll exports');
    cli(home, 'kms', 'create-alias', '--alias-name', 'alias/payroll', '--target-key-id', id);
    cli(home, 'kms', 'encrypt', '--key-id', id, '--plaintext', Buffer.from('salary').toString('base64'));
  });
  await openUnlocked(page, host);
  await page.getByRole('button', { name: 'alias/payroll' }).click();

  // Disable is a plain button with its own plain confirmation; Schedule deletion is in the danger style.
  const disable = page.getByTestId('disable-key');
  const schedule = page.getByTestId('schedule-deletion');
  await expect(schedule).toHaveClass(/danger/);
  await expect(disable).not.toHaveClass(/danger/);
  const look = (el: typeof disable) => el.evaluate((b) => `${getComputedStyle(b).color} ${getComputedStyle(b).borderColor} ${getComputedStyle(b).backgroundColor}`);
  expect(await look(disable)).not.toBe(await look(schedule));
  await disable.click();
  await expect(page.getByRole('group')).toContainText('Disable this key?');
  await expect(page.getByTestId('confirm')).not.toHaveClass(/danger/);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('key-state')).toHaveText('Enabled');

  // The dialog: the last use from the audit log, the date, and the alias typed back before the button acts.
  await schedule.click();
  const dialog = page.getByTestId('deletion-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading')).toHaveText('Schedule deletion of alias/payroll');
  await expect(page.getByTestId('last-use')).toHaveText(/^Last used on .+: Encrypt by account root \(CLI\)\.$/);
  await expect(page.getByTestId('deletion-confirm-name')).toBeFocused();
  const submit = page.getByTestId('deletion-submit');
  await expect(submit).toBeDisabled();
  await page.getByTestId('deletion-confirm-name').fill('alias/payrol');
  await expect(submit).toBeDisabled();
  await page.getByTestId('deletion-window').fill('3');
  await expect(page.getByTestId('windowDays-error')).toHaveText('Choose 7 to 30 days.');
  await page.getByTestId('deletion-window').fill('7');
  await expect(page.getByTestId('deletion-date')).toContainText('The key would be deleted on');
  await page.getByTestId('deletion-confirm-name').fill('alias/payroll');
  await expect(submit).toBeEnabled();
  await capture(page, info, 'key-deletion-dialog');
  await submit.click();

  // Pending: a banner with the date and a one-click cancel, which brings the key back disabled.
  const banner = page.getByTestId('pending-banner');
  await expect(banner).toContainText('This key will be deleted on');
  await expect(banner).toBeFocused();
  await expect(page.getByTestId('key-title')).toContainText('Pending deletion, on');
  await expect(schedule).toHaveCount(0);
  await capture(page, info, 'key-pending-deletion');
  await page.getByTestId('cancel-deletion').click();
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('key-state')).toHaveText('Disabled');
});

test('keyboard only, from the list: create a key, then schedule its deletion', async ({ page }) => {
  await hostWith(() => undefined);
  await openUnlocked(page, host);
  await expect(page.getByRole('heading', { name: 'Keys' })).toBeVisible();

  await tabTo(page, 'create-key-open');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('create-key-description')).toBeFocused();
  await page.keyboard.type('Typed, never clicked');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('key-title')).toBeFocused();
  await expect(page.getByTestId('key-description')).toHaveText('Typed, never clicked');
  const keyId = ((await page.getByTestId('key-id-full').textContent()) ?? '').trim();

  await tabTo(page, 'schedule-deletion');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('deletion-confirm-name')).toBeFocused();
  await expect(page.getByText(`Type ${keyId} to confirm`)).toBeVisible();
  await expect(page.getByTestId('last-use')).toHaveText('No use of this key is recorded in the audit log.');
  await page.keyboard.type(keyId);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pending-banner')).toBeFocused();
  await expect(page.getByTestId('key-state')).toContainText('Pending deletion');

  await tabTo(page, 'key-close');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('open-key')).toBeFocused();
  await expect(page.getByTestId('key-badge')).toHaveText(/^Pending deletion/);
});
