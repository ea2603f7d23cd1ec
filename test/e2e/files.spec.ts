import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { capture } from './capture';
import { CLI, hostWithVaultForEachTest, openUnlocked, type RunningHost } from './host';

let dir: string;
let host: RunningHost;
hostWithVaultForEachTest('strongroom-files-', (made) => {
  ({ dir, host } = made);
});

/** A `strongroom` command through the host that holds the vault. */
function strongroom(args: string[]): string {
  const run = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, STRONGROOM_HOME: host.home, STRONGROOM_PIN: '' }, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim();
}

test('files encrypted for a key with a context, picked and typed; decrypted into a chosen folder, saying for whom they were made; a long run cancelled', async ({ page }, info) => {
  test.setTimeout(120_000);
  await openUnlocked(page, host);
  const keyId = strongroom(['kms', 'create-key', '--description', 'team files', '--query', 'KeyMetadata.KeyId', '--output', 'text']);
  strongroom(['kms', 'create-alias', '--alias-name', 'alias/team', '--target-key-id', keyId]);
  const docs = join(dir, 'docs');
  mkdirSync(join(docs, 'opened'), { recursive: true });
  writeFileSync(join(docs, 'report.txt'), 'the quarterly report');
  writeFileSync(join(docs, 'notes.txt'), 'notes from the meeting');

  await page.getByTestId('nav-files').click();
  await page.getByTestId('typed-path').fill(join(docs, 'report.txt'));
  await page.getByTestId('add-typed-path').click();
  await page.getByTestId('browse-files').click();
  await expect(page.getByTestId('picker-dir')).toHaveText(docs);
  await page.getByTestId('picker-entry-notes.txt').getByRole('checkbox').check();
  await page.getByTestId('picker-choose').click();
  await expect(page.getByTestId('file-1')).toContainText(join(docs, 'notes.txt'));
  await page.getByTestId('recipient-alias/team').check();
  await capture(page, info, 'files-encrypt');
  await page.getByTestId('add-file-context').click();
  await page.getByTestId('file-context-key').fill('project');
  await page.getByTestId('file-context-value').fill('alpha');
  await page.getByTestId('start-files').click();
  await expect(page.getByTestId('job-state')).toHaveText('Done');
  await expect(page.getByTestId('result-output-0')).toHaveText(join(docs, 'report.txt.enc'));
  await expect(page.getByTestId('result-output-1')).toHaveText(join(docs, 'notes.txt.enc'));
  await page.getByTestId('reveal-0').click();
  await expect(page.getByTestId('shown-folder')).toContainText(docs);

  await page.getByTestId('files-mode-decrypt').click();
  await page.getByTestId('remove-file-1').click();
  await page.getByTestId('remove-file-0').click();
  await page.getByTestId('typed-path').fill(join(docs, 'report.txt.enc'));
  await page.getByTestId('add-typed-path').click();
  await page.getByTestId('typed-path').fill(join(docs, 'notes.txt.enc'));
  await page.getByTestId('add-typed-path').click();
  await page.getByTestId('browse-output').click();
  await page.getByTestId('picker-entry-opened').getByRole('button').click();
  await expect(page.getByTestId('picker-dir')).toHaveText(join(docs, 'opened'));
  await page.getByTestId('picker-choose').click();
  await expect(page.getByTestId('output-dir')).toHaveValue(join(docs, 'opened'));
  await page.getByTestId('start-files').click();
  await expect(page.getByTestId('job-state')).toHaveText('Done');
  await expect(page.getByTestId('result-made-for-0')).toContainText(`key/${keyId}`);
  await expect(page.getByTestId('result-signed-by-0')).toHaveText('nobody (the file is not signed)');
  await expect(page.getByTestId('result-0')).toContainText('project=alpha');
  expect(readFileSync(join(docs, 'opened', 'notes.txt'), 'utf8')).toBe('notes from the meeting');
  await capture(page, info, 'files-decrypted');

  await page.getByTestId('start-files').click();
  await expect(page.getByTestId('job-state')).toHaveText('Done');
  await expect(page.getByTestId('result-error-0')).toContainText('AlreadyExistsException');

  const big = join(docs, 'disk.img');
  writeFileSync(big, '');
  truncateSync(big, 4 * 1024 ** 3);
  await page.getByTestId('files-mode-encrypt').click();
  await page.getByTestId('remove-file-1').click();
  await page.getByTestId('remove-file-0').click();
  await page.getByTestId('output-dir').fill('');
  await page.getByTestId('typed-path').fill(big);
  await page.getByTestId('add-typed-path').click();
  await page.getByTestId('start-files').click();
  await expect(page.getByTestId('job-state')).toHaveText('Working…');
  await expect(page.getByTestId('job-progress')).not.toHaveAttribute('value', '0');
  await page.getByTestId('nav-keys').click(); // the interface stays live while the batch runs
  await expect(page.getByText('team files')).toBeVisible();
  await page.getByTestId('nav-files').click();
  await page.getByTestId('cancel-files').click();
  await expect(page.getByTestId('job-state')).toHaveText('Cancelled');
  expect(existsSync(`${big}.enc`)).toBe(false);
});
