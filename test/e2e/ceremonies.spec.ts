import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { capture } from './capture';
import { CLI, hostWithVaultForEachTest, openUnlocked, type RunningHost } from './host';

let dir: string;
let host: RunningHost;
hostWithVaultForEachTest('strongroom-ceremonies-', (made) => {
  ({ dir, host } = made);
});

const CUSTODIANS = ['ana', 'bo', 'cy'];
const passphraseOf = (name: string): string => `${name} keeps the blue notebook`;

test('the recovery split ceremony: custodians and their passphrases, a review, the split; two of the shares recover the root key', async ({ page }, info) => {
  test.setTimeout(120_000);
  const out = join(dir, 'shares');
  mkdirSync(out);
  await openUnlocked(page, host);
  await page.getByTestId('nav-ceremonies').click();
  await expect(page.getByTestId('split-status')).toHaveText('The vault has no recovery split yet.');
  for (const [i, name] of CUSTODIANS.entries()) {
    await page.getByTestId('custodian-name').nth(i).fill(name);
    await page.getByTestId('custodian-passphrase').nth(i).fill(passphraseOf(name));
    await page.getByTestId('custodian-repeat').nth(i).fill(i === 2 ? 'a typo in the repeat' : passphraseOf(name));
  }
  await page.getByTestId('split-out').fill(out);
  await expect(page.getByTestId('split-problem')).toHaveText('A custodian’s two passphrases differ.');
  await page.getByTestId('custodian-repeat').nth(2).fill(passphraseOf('cy'));
  await page.getByTestId('split-review').click();
  await expect(page.getByRole('group', { name: 'Confirm the split' })).toContainText('any 2 of these 3 shares recover it');
  await capture(page, info, 'ceremony-split-review');
  await page.getByTestId('split-confirm').click();
  await expect(page.getByTestId('split-files').getByRole('listitem')).toHaveCount(9);
  await expect(page.getByTestId('split-status')).toContainText('2 of ana, bo, cy');
  await expect(page.getByTestId('custodian-passphrase')).toHaveCount(0);
  await capture(page, info, 'ceremony-split-done');

  const passphrases = ['ana', 'cy'].flatMap((name) => {
    const file = join(dir, `${name}.pass`);
    writeFileSync(file, passphraseOf(name), { mode: 0o600 });
    return ['--passphrase-file', `${name}=${file}`];
  });
  const tested = spawnSync(process.execPath, [CLI, 'recovery', 'test', '--share', join(out, 'ana.share.json'), '--share', join(out, 'cy.share.json'), ...passphrases], { env: { ...process.env, STRONGROOM_HOME: host.home, STRONGROOM_PIN: '' }, encoding: 'utf8' });
  expect(tested.status, tested.stderr).toBe(0);
  expect(JSON.parse(tested.stdout)).toMatchObject({ Valid: true });
});
