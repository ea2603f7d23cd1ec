// The audit screen: who, what, when and result; a record in full; filters kept across lock; export of the filtered view; a broken chain marked.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page, type Route } from '@playwright/test';
import { accountRoot, openVault } from '../../src-main/bootstrap';
import { invoke } from '../../src-main/kms/pipeline/invoke';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import { capture } from './capture';
import { openUnlocked, PIN, startHost, type RunningHost } from './host';

const CLI = join(__dirname, '..', '..', 'bin', 'strongroom.cjs');

let dir: string;
let host: RunningHost | undefined;
test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strongroom-e2e-audit-'));
});
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A vault made with `strongroom init` whose log holds, from the CLI door:
 * two keys (one with alias/payroll), `encrypts` Encrypts alternating between
 * them, an Encrypt under a missing alias, and Mallory's refused DescribeKey
 * through the host door.
 */
function vaultWithHistory(encrypts: number): string {
  const home = join(dir, 'vault');
  const init = spawnSync(process.execPath, [CLI, 'init'], { env: { ...process.env, STRONGROOM_HOME: home, STRONGROOM_PIN: PIN }, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`strongroom init failed: ${init.stderr}`);
  const vault = openVault(home, 'cli');
  try {
    vault.unlock(PIN);
    const root = accountRoot(vault, 'cli');
    const kms = (name: string, request: unknown): { KeyMetadata: { KeyId: string } } => invoke(vault, root, name as never, request) as { KeyMetadata: { KeyId: string } };
    const payroll = kms('CreateKey', { Description: 'payroll' }).KeyMetadata.KeyId;
    kms('CreateAlias', { AliasName: 'alias/payroll', TargetKeyId: payroll });
    const backups = kms('CreateKey', { Description: 'backups' }).KeyMetadata.KeyId;
    for (let i = 0; i < encrypts; i += 1) kms('Encrypt', { KeyId: i % 2 === 0 ? payroll : backups, Plaintext: Buffer.from(`n${String(i)}`).toString('base64') });
    expect(() => kms('Encrypt', { KeyId: 'alias/missing', Plaintext: 'AAAA' })).toThrow(/alias\/missing/);
    const accountId = vault.record.accountId;
    const mallory = { principal: { type: 'User' as const, accountId, arn: `arn:aws:iam::${accountId}:user/Mallory` }, door: 'host' as const };
    expect(() => invoke(vault, mallory, 'DescribeKey', { KeyId: payroll })).toThrow(/not authorized/);
  } finally {
    vault.close();
  }
  return home;
}

async function openAudit(page: Page, home: string): Promise<void> {
  host = await startHost({ home });
  await openUnlocked(page, host);
  await page.getByTestId('nav-audit').click();
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
}

const rows = (page: Page) => page.getByTestId('audit-row');

/** The text of one column of every row shown. */
async function column(page: Page, index: number): Promise<string[]> {
  return rows(page).locator(`td:nth-child(${String(index)})`).allInnerTexts();
}

test('shows who through which door, what on which key or alias, when and the result; a record in full beside the list, closed by Escape', async ({ page }, info) => {
  await openAudit(page, vaultWithHistory(6));
  await expect(page.locator('thead th')).toHaveText(['Record', 'Who', 'What', 'When', 'Result']);
  const refused = rows(page).filter({ hasText: 'user/Mallory' });
  await expect(refused).toHaveCount(1);
  await expect(refused.locator('td').nth(1)).toHaveText(/user\/Mallory\s+host/);
  await expect(refused.locator('td').nth(2)).toContainText('DescribeKey');
  await expect(refused.locator('td').nth(2)).toContainText('alias/payroll');
  await expect(refused.locator('td').nth(4)).toHaveText(/AccessDeniedException/);
  const encrypt = rows(page).filter({ hasText: 'Encrypt' }).filter({ hasText: 'alias/payroll' }).first();
  await expect(encrypt.locator('td').nth(1)).toHaveText(/^account root\s+CLI$/);
  await expect(encrypt.locator('td').nth(4)).toHaveText(/OK/);
  await expect(rows(page).filter({ hasText: 'NotFoundException' })).toHaveCount(1);
  await expect(rows(page).filter({ hasText: 'Unlock' }).first().locator('td').nth(1)).toHaveText(/^account root\s+host$/);
  await capture(page, info, 'audit');

  // Keyboard only: to the record's number, Enter opens it beside the list; Escape closes it and gives focus back.
  const open = refused.getByTestId('audit-open');
  await open.focus();
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('audit-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByRole('heading', { level: 2 })).toBeFocused();
  const json = JSON.parse(await page.getByTestId('audit-json').innerText()) as Record<string, unknown>;
  expect(json).toMatchObject({ eventName: 'DescribeKey', errorCode: 'AccessDeniedException', userIdentity: { type: 'IAMUser' } });
  await expect(page.getByTestId('audit-detail-standing')).toHaveText(/Verify the chain/);
  await expect(rows(page).first()).toBeVisible(); // the list stays in place beside it
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('audit-detail-standing')).toHaveText(/Intact|Chained after the last signed checkpoint/);
  await capture(page, info, 'audit-detail');
  await page.getByTestId('audit-json').focus();
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  await expect(open).toBeFocused();
});

test('filters by event prefix, key or alias, principal, time range and errors, at their fields when wrong, and keeps them across lock and unlock', async ({ page }, info) => {
  await openAudit(page, vaultWithHistory(6));
  const apply = async (fill: Record<string, string>): Promise<void> => {
    await page.getByTestId('audit-filter-clear').click();
    for (const [testid, value] of Object.entries(fill)) await page.getByTestId(testid).fill(value);
    await page.getByTestId('audit-filter-apply').click();
    await expect(page.getByTestId('audit-filter-apply')).toHaveText('Filter');
  };
  await apply({ 'audit-event-filter': 'enc' });
  expect(new Set((await column(page, 3)).map((what) => what.split('\n')[0]))).toEqual(new Set(['Encrypt']));
  await expect(rows(page)).toHaveCount(7);

  await apply({ 'audit-key-filter': 'alias/payroll' });
  for (const what of await column(page, 3)) expect(what).toContain('alias/payroll');
  await expect(rows(page).filter({ hasText: 'Encrypt' })).toHaveCount(3);

  await apply({ 'audit-principal-filter': 'MALLORY' });
  expect(await column(page, 2)).toEqual(['user/Mallory\nhost']);

  await apply({ 'audit-event-filter': 'encrypt' });
  await page.getByTestId('audit-errors-only').check();
  await page.getByTestId('audit-filter-apply').click();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText('NotFoundException');
  await page.getByTestId('audit-errors-only').uncheck();

  await apply({ 'audit-from': '2099-01-01T00:00' });
  await expect(page.getByText('No record matches these filters.')).toBeVisible();
  await apply({ 'audit-from': '2000-01-01T00:00', 'audit-to': '2099-01-01T00:00', 'audit-event-filter': 'CreateAlias' });
  await expect(rows(page)).toHaveCount(1);
  await apply({ 'audit-from': '2030-01-01T00:00', 'audit-to': '2029-01-01T00:00' });
  await expect(page.getByTestId('to-error')).toHaveText(/The end comes before the start/);

  await apply({ 'audit-key-filter': 'alias/nobody' });
  await expect(page.getByTestId('keyId-error')).toContainText('This vault has no such alias');
  await expect(page.getByTestId('keyId-error')).toContainText('NotFoundException');
  await expect(page.getByTestId('audit-key-filter')).toHaveAttribute('aria-invalid', 'true');
  await capture(page, info, 'audit-filter-error');

  // A filtered view, kept as a draft across lock and unlock.
  await apply({ 'audit-key-filter': 'alias/payroll', 'audit-event-filter': 'Enc' });
  await expect(rows(page)).toHaveCount(3);
  await capture(page, info, 'audit-filtered');
  await page.getByTestId('lock').click();
  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('pin').press('Enter');
  await expect(page.getByTestId('audit-key-filter')).toHaveValue('alias/payroll');
  await expect(page.getByTestId('audit-event-filter')).toHaveValue('Enc');
  await expect(rows(page)).toHaveCount(3);
});

/** Holds the export's pages after the first (LookupEvents with limit 500 and a beforeSequence) until `release` is called. */
async function holdLaterExportPages(page: Page): Promise<{ held: Promise<void>; release: () => void }> {
  let release = (): void => undefined;
  let heldOne = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const held = new Promise<void>((resolve) => (heldOne = resolve));
  await page.route('**/api/audit:page', async (route: Route) => {
    const body = JSON.parse(route.request().postData() ?? '{}') as { limit?: number; beforeSequence?: number };
    if (body.limit === 500 && body.beforeSequence !== undefined) {
      heldOne();
      await gate;
    }
    await route.continue();
  });
  return {
    held,
    release: () => {
      release();
    },
  };
}

test('exports the filtered view as CloudTrail JSON named after its filters, with progress, and cancels an export', async ({ page }, info) => {
  await openAudit(page, vaultWithHistory(1100));
  await page.getByTestId('audit-event-filter').fill('encrypt');
  await page.getByTestId('audit-filter-apply').click();
  await expect(rows(page)).toHaveCount(50);
  await page.getByTestId('audit-older').click();
  await expect(rows(page)).toHaveCount(100);
  expect(new Set((await column(page, 3)).map((what) => what.split('\n')[0]))).toEqual(new Set(['Encrypt']));

  let gate = await holdLaterExportPages(page);
  await page.getByTestId('audit-export').click();
  await gate.held;
  await expect(page.getByTestId('audit-export-progress')).toHaveText(/^Exporting: 500 records so far, back to .+…$/);
  await capture(page, info, 'audit-export-progress');
  const saved = page.waitForEvent('download');
  gate.release();
  const download = await saved;
  expect(download.suggestedFilename()).toMatch(/^strongroom-audit_event-encrypt_\d{4}-\d{2}-\d{2}T\d{6}\.json$/);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8')) as { strongroomExport: { filters: unknown; records: number }; Records: { eventName: string; strongroomSequence: number }[] };
  expect(file.strongroomExport).toMatchObject({ filters: { eventName: 'encrypt' }, records: 1101 });
  expect(file.Records).toHaveLength(1101);
  expect(new Set(file.Records.map((r) => r.eventName))).toEqual(new Set(['Encrypt']));
  const sequences = file.Records.map((r) => r.strongroomSequence);
  expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
  await expect(page.getByTestId('audit-export-progress')).toBeHidden();

  await page.unroute('**/api/audit:page');
  gate = await holdLaterExportPages(page);
  let downloads = 0;
  page.on('download', () => (downloads += 1));
  await page.getByTestId('audit-export').click();
  await gate.held;
  await page.getByTestId('audit-export-cancel').click();
  gate.release();
  await expect(page.getByTestId('notice')).toContainText('Export cancelled: nothing was saved.');
  await capture(page, info, 'audit-export-cancelled');
  await expect(page.getByTestId('audit-export')).toBeEnabled();
  expect(downloads).toBe(0);
});

test('a broken chain is said at the top, and its first bad record and every row after it are marked', async ({ page }, info) => {
  const home = vaultWithHistory(60);
  await openAudit(page, home);
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveText(/^Chain intact/);
  await host?.stop(true);
  host = undefined;

  // Someone who can write the vault's file turns an Encrypt into a Decrypt.
  const db = new Database(vaultFiles(home).db);
  const newest = db.prepare('SELECT max(seq) FROM audit').pluck().get() as number;
  const bad = db.prepare(`SELECT max(seq) FROM audit WHERE event_name = 'Encrypt' AND seq < ?`).pluck().get(newest - 10) as number;
  db.prepare(`UPDATE audit SET record = replace(record, '"eventName":"Encrypt"', '"eventName":"Decrypt"') WHERE seq = ?`).run(bad);
  db.close();

  await openAudit(page, home);
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toContainText(`The log fails verification (RecordChanged) at record ${String(bad)}.`);
  await expect(page.getByTestId('audit-broken')).toHaveText(`Records from ${String(bad)} on cannot be trusted: they are marked in the list below.`);
  const shown = (await rows(page).getByTestId('audit-open').allInnerTexts()).map((n) => Number(n.slice(1)));
  const marks = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.querySelector('[data-testid="audit-mark"]')?.textContent.trim() ?? ''));
  expect(shown.some((seq) => seq < bad)).toBe(true);
  expect(marks).toEqual(shown.map((seq) => (seq > bad ? '⚠ After the break' : seq === bad ? '⚠ First bad record' : '')));
  await capture(page, info, 'audit-broken');
});
