import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { capture } from './capture';
import { PIN, startHost, type RunningHost } from './host';

let host: RunningHost;
let transcriptDir: string;

test.beforeAll(async () => {
  host = await startHost();
  transcriptDir = mkdtempSync(join(tmpdir(), 'strongroom-e2e-transcripts-'));
});
test.afterAll(async () => {
  await host.stop();
  rmSync(transcriptDir, { recursive: true, force: true });
});

test('a security officer sets up, unlocks, manages a key, encrypts, rotates, deletes, audits and locks', async ({ page }, info) => {
  test.setTimeout(180_000); // the whole working day of an officer, beside another test
  await page.goto(host.url);

  // First run on the embedded SoftHSM2 token.
  await expect(page.getByRole('heading', { name: 'Set up Strongroom' })).toBeVisible();
  await capture(page, info, '01-first-run');
  // A short PIN is refused as a passphrase, with the estimate; a strong one is accepted.
  await page.getByTestId('pin').fill('135790');
  await page.getByTestId('pin-confirm').fill('135790');
  await expect(page.getByTestId('passphrase-strength')).toContainText('Too easy to guess: about 10^');
  await expect(page.getByTestId('create-review')).toBeDisabled();
  await page.getByTestId('pin').fill(PIN);
  await expect(page.getByTestId('passphrase-strength')).toContainText('Strong enough');
  await page.getByTestId('pin-confirm').fill('different');
  await expect(page.getByTestId('create-review')).toBeDisabled();
  await page.getByTestId('pin-confirm').fill(PIN);
  // The set-up is a ceremony: who is there, its transcript, each step confirmed before the vault is made.
  await page.getByTestId('participant-name').nth(0).fill('Ada Byron');
  await page.getByTestId('transcript-base').fill(join(transcriptDir, 'set-up'));
  await page.getByTestId('create-review').click();
  await expect(page.getByTestId('create-vault')).toBeDisabled();
  await page.getByTestId('step-confirm').click();
  await page.getByTestId('step-confirm').click();
  await page.getByTestId('create-vault').click();
  await expect(page.getByTestId('so-pin')).toHaveText(/^([A-Z2-9]{4}-){5}[A-Z2-9]{4}$/, { timeout: 30_000 });
  expect(JSON.parse(readFileSync(join(transcriptDir, 'set-up.txt'), 'utf8'))).toMatchObject({ Ceremony: 'Init', Participants: [{ Name: 'Ada Byron', Role: 'officer' }], Steps: [{}, {}, { Step: expect.stringMatching(/^Create a vault in /) }] });
  await capture(page, info, '02-security-officer-pin');
  const soPin = (await page.getByTestId('so-pin').textContent()) ?? '';
  // Printed, the sheet holds the PIN and its warning alone.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('so-pin')).toBeVisible();
  for (const hidden of ['status-bar', 'so-pin-print', 'so-pin-written']) await expect(page.getByTestId(hidden)).toBeHidden();
  await page.screenshot({ path: info.outputPath('02a-security-officer-pin-printed.png') });
  await page.emulateMedia({ media: 'screen' });
  await page.getByTestId('so-pin-written').click();
  await expect(page.getByTestId('so-pin')).toHaveCount(0);
  // Typing back two of its groups, as read from paper; a wrong group is named at its field.
  const groupOf = async (i: number): Promise<string> => {
    const id = (await page.getByTestId(`so-pin-check-${String(i)}`).getAttribute('id')) ?? '';
    const label = (await page.locator(`label[for="${id}"]`).textContent()) ?? '';
    const ordinal = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'].findIndex((o) => label.includes(o));
    return soPin.split('-')[ordinal] ?? '';
  };
  await page.getByTestId('so-pin-check-0').fill('ZZZZ');
  await expect(page.getByTestId('check-0-error')).toContainText('check your paper');
  await expect(page.getByTestId('so-pin-ack')).toBeDisabled();
  await page.getByTestId('so-pin-check-0').fill(await groupOf(0));
  await page.getByTestId('so-pin-check-1').fill((await groupOf(1)).toLowerCase());
  await capture(page, info, '02b-security-officer-pin-check');
  await page.getByTestId('so-pin-ack').click();
  await expect(page.getByRole('heading', { name: 'Keys' })).toBeVisible();

  // Lock, then a wrong PIN and the right one.
  await page.getByTestId('lock').click();
  await expect(page.getByRole('heading', { name: 'Unlock the vault' })).toBeVisible();
  await expect(page.getByTestId('lock-reason')).toHaveText(/Locked on request\. \(.+\)/);
  await page.getByTestId('pin').fill('000000');
  await page.getByTestId('unlock').click();
  await expect(page.getByTestId('pin-error')).toContainText('IncorrectPinException');
  await expect(page.getByTestId('pin-error')).toContainText('The token refused this PIN');
  await expect(page.getByTestId('tries-left')).toHaveText('9 tries left before the vault locks out.');
  await capture(page, info, '03-unlock-wrong-pin');
  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('unlock').click();
  await expect(page.getByRole('heading', { name: 'Keys' })).toBeVisible();
  await expect(page.getByTestId('status-acting')).toHaveText(/^Acting as account root \(\d{12}\) through the browser$/);

  // Create a key; its detail opens.
  await page.getByTestId('create-key-open').click();
  await page.getByTestId('create-key-description').fill('Quarterly reports');
  await page.getByTestId('create-key').click();
  await expect(page.getByTestId('key-detail')).toBeVisible();
  await expect(page.getByTestId('key-state')).toHaveText('Enabled');
  const keyId = ((await page.getByTestId('key-id-full').textContent()) ?? '').trim();
  expect(keyId).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.getByTestId('key-description')).toHaveText('Quarterly reports');
  await page.getByTestId('edit-description').click();
  await page.getByTestId('description-input').fill('Quarterly and annual reports');
  await page.getByTestId('save-description').click();
  await expect(page.getByTestId('key-description')).toHaveText('Quarterly and annual reports');
  // A refused alias is explained at its field, with the AWS detail under it.
  await page.getByTestId('tab-names').click();
  await page.getByTestId('new-alias-open').click();
  await page.getByTestId('new-alias').fill('alias/two words');
  await page.getByRole('button', { name: 'Add alias' }).click();
  await expect(page.getByTestId('alias-error')).toContainText('An alias is alias/ and then letters, digits');
  await expect(page.getByTestId('alias-error')).toContainText("ValidationException: 1 validation error detected: Value at 'aliasName'");
  await expect(page.getByTestId('alias-error')).not.toContainText('regular expression');
  await expect(page.getByTestId('new-alias')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('new-alias').fill('alias/reports');
  await page.getByRole('button', { name: 'Add alias' }).click();
  await expect(page.getByText('alias/reports', { exact: false }).first()).toBeVisible();
  await capture(page, info, '04-key-detail');

  // Rotate now.
  await page.getByTestId('tab-rotation').click();
  await page.getByTestId('rotate-key').click();
  await page.getByTestId('confirm').click();
  await expect(page.getByTestId('rotations').getByRole('row')).toHaveCount(1);
  await expect(page.getByTestId('rotations')).toContainText('ON_DEMAND');

  // Leaving the detail by the Keys button shows the list as it now is.
  await page.getByTestId('nav-keys').click();
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await expect(page.getByTestId('key-row')).toContainText('Quarterly and annual reports');

  // Encrypt and decrypt with an encryption context.
  await page.getByTestId('nav-crypto').click();
  await page.getByTestId('crypto-key').fill('alias/reports');
  await page.getByTestId('add-context').click();
  await page.getByTestId('context-key').fill('department');
  await page.getByTestId('context-value').fill('finance');
  await page.getByTestId('crypto-input').fill('Q3 numbers are final');
  await page.getByTestId('encrypt').click();
  await expect(page.getByTestId('ciphertext')).toHaveValue(/^[A-Za-z0-9+/]+=*$/);
  await page.getByTestId('decrypt').click();
  await page.getByTestId('plaintext-toggle').click();
  await expect(page.getByTestId('plaintext')).toHaveText('Q3 numbers are final');
  await capture(page, info, '05-crypto');
  await page.getByTestId('context-value').fill('legal');
  await page.getByTestId('decrypt').click();
  await expect(page.getByTestId('error')).toContainText('InvalidCiphertextException');

  // Schedule the key's deletion, then cancel it.
  await page.getByTestId('nav-keys').click();
  await page.getByTestId('key-filter').fill('reports');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await capture(page, info, '06-keys');
  await page.getByTestId('open-key').click();
  await expect(page.getByTestId('key-id-full')).toHaveText(keyId);
  await page.getByTestId('schedule-deletion').click();
  await page.getByTestId('deletion-window').fill('7');
  await expect(page.getByTestId('deletion-date')).toContainText('The key would be deleted on');
  await page.getByTestId('deletion-confirm-name').fill('alias/reports');
  await page.getByTestId('deletion-submit').click();
  await expect(page.getByTestId('key-state')).toContainText('Pending deletion, on');
  await capture(page, info, '07-pending-deletion');
  await page.getByTestId('cancel-deletion').click();
  await expect(page.getByTestId('key-state')).toHaveText('Disabled');

  // The audit log, and its chain.
  await page.getByTestId('nav-audit').click();
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveText(/^Chain intact: \d+ records, \d+ of them under \d+ signed checkpoints, the newest kept on the token\.$/);
  await capture(page, info, '08-audit');

  // Lock.
  await page.getByTestId('lock').click();
  await expect(page.getByRole('heading', { name: 'Unlock the vault' })).toBeVisible();
});
