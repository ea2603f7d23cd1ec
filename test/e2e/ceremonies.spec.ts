import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { capture } from './capture';
import { CLI, hostWithVaultForEachTest, openUnlocked, PIN, startHost, type RunningHost } from './host';

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
  const splitSection = page.getByRole('region', { name: 'Recovery split' });
  await splitSection.getByTestId('transcript-base').fill(join(dir, 'split-transcript'));
  await expect(page.getByTestId('split-problem')).toHaveText('Name who takes part: the transcript says who did this.');
  await splitSection.getByTestId('participant-name').nth(0).fill('Ada Byron');
  await splitSection.getByTestId('participant-name').nth(1).fill('Ben Okafor');
  await page.getByTestId('custodian-repeat').nth(2).fill('a typo in the repeat');
  await expect(page.getByTestId('split-problem')).toHaveText('A custodian’s two passphrases differ.');
  await page.getByTestId('custodian-repeat').nth(2).fill(passphraseOf('cy'));
  await page.getByTestId('split-review').click();
  await expect(page.getByRole('group', { name: 'Confirm the split' })).toContainText('any 2 of these 3 shares recover it');
  await expect(page.getByRole('group', { name: 'Confirm the split' })).toContainText('A transcript naming Ada Byron (officer), Ben Okafor (witness)');
  await expect(page.getByTestId('split-confirm')).toBeDisabled();
  await page.getByTestId('step-confirm').click();
  await expect(page.getByTestId('ceremony-step').nth(0)).toContainText('Confirmed at');
  await capture(page, info, 'ceremony-split-review');
  await page.getByTestId('step-confirm').click();
  await page.getByTestId('split-confirm').click();
  await expect(page.getByTestId('split-files').getByRole('listitem')).toHaveCount(9);
  await expect(page.getByTestId('split-transcript').getByRole('listitem')).toHaveCount(5);
  expect(readFileSync(join(dir, 'split-transcript.html'), 'utf8')).toContain('Ben Okafor');
  const transcript = JSON.parse(readFileSync(join(dir, 'split-transcript.txt'), 'utf8')) as { Steps: { Step: string }[] };
  expect(transcript).toMatchObject({ Ceremony: 'RecoverySplit', Participants: [{ Name: 'Ada Byron', Role: 'officer' }, { Name: 'Ben Okafor', Role: 'witness' }] });
  expect(transcript.Steps.map((step) => step.Step)).toEqual([expect.stringMatching(/^Every custodian is present/), expect.stringMatching(/^The folder for the shares/), expect.stringMatching(/^Split the recovery of the root key among ana, bo, cy/)]);
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

test('the backup and restore ceremonies: a backup from the Ceremonies screen, restored on a fresh home with two of three shares; the restored vault decrypts what the old one encrypted', async ({ page }, info) => {
  test.setTimeout(180_000);
  const cli = (args: string[], home = host.home, pin = PIN): { status: number | null; stdout: string; stderr: string } =>
    spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, STRONGROOM_HOME: home, STRONGROOM_PIN: pin }, encoding: 'utf8' });
  const out = join(dir, 'shares');
  mkdirSync(out);
  const passphrases = CUSTODIANS.flatMap((name) => {
    const file = join(dir, `${name}.pass`);
    writeFileSync(file, passphraseOf(name), { mode: 0o600 });
    return ['--passphrase-file', `${name}=${file}`];
  });
  await host.stop(); // the command line takes the vault for the set-up, then the host has it again
  const split = cli(['recovery', 'split', '--threshold', '2', ...CUSTODIANS.flatMap((name) => ['--custodian', name]), '--out', out, ...passphrases]);
  expect(split.status, split.stderr).toBe(0);
  const keyId = (JSON.parse(cli(['kms', 'create-key', '--description', 'payroll']).stdout) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  const blob = (JSON.parse(cli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', Buffer.from('salaries').toString('base64')]).stdout) as { CiphertextBlob: string }).CiphertextBlob;
  host = await startHost({ home: host.home });

  const file = join(dir, 'vault.backup');
  await openUnlocked(page, host);
  await page.getByTestId('nav-ceremonies').click();
  await page.getByTestId('tab-backup').click();
  await page.getByTestId('backup-file').fill(file);
  await page.getByTestId('backup-review').click();
  await page.getByTestId('step-confirm').click();
  await page.getByTestId('backup-create').click();
  await expect(page.getByTestId('backup-made')).toContainText(file);
  await capture(page, info, 'ceremony-backup-done');

  const fresh = await startHost({ home: join(dir, 'restored') });
  try {
    await page.goto(fresh.url);
    await page.getByTestId('mode-restore').check();
    await page.getByTestId('restore-file').fill(file);
    await expect(page.getByTestId('restore-problem')).toHaveText('Read the backup first.');
    await page.getByTestId('restore-inspect').click();
    await expect(page.getByTestId('restore-manifest')).toContainText('1 keys');
    await expect(page.getByTestId('restore-manifest')).toContainText('It opens with 2 of the shares of ana, bo, cy.');
    for (const [i, name] of ['ana', 'cy'].entries()) {
      await page.getByTestId('share-path').nth(i).fill(join(out, `${name}.share.json`));
      await page.getByTestId('share-passphrase').nth(i).fill(passphraseOf(name));
    }
    const newPassphrase = 'harbour-quiet-mosaic-tulip-58';
    await page.getByTestId('restore-pin').fill(newPassphrase);
    await page.getByTestId('restore-pin-confirm').fill(newPassphrase);
    await page.getByTestId('participant-name').nth(0).fill('Ada Byron');
    await page.getByTestId('transcript-base').fill(join(dir, 'restore-transcript'));
    await capture(page, info, 'ceremony-restore-form');
    await page.getByTestId('restore-review').click();
    await expect(page.getByRole('group', { name: 'Confirm the restore' })).toContainText('with the shares of 2 custodians');
    await page.getByTestId('step-confirm').click();
    await page.getByTestId('step-confirm').click();
    await capture(page, info, 'ceremony-restore-review');
    await page.getByTestId('restore-confirm').click();
    // A restore opens two shares and makes a token, each with Argon2id: long beside other tests.
    await expect(page.getByTestId('so-pin')).toHaveText(/^([A-Z2-9]{4}-){5}[A-Z2-9]{4}$/, { timeout: 60_000 });
    const restoreTranscript = JSON.parse(readFileSync(join(dir, 'restore-transcript.txt'), 'utf8')) as { Ceremony: string; Steps: unknown[] };
    expect(restoreTranscript).toMatchObject({ Ceremony: 'Restore', Participants: [{ Name: 'Ada Byron', Role: 'officer' }] });
    expect(restoreTranscript.Steps).toHaveLength(3);
    await capture(page, info, 'ceremony-restore-security-officer-pin');
    const soPin = (await page.getByTestId('so-pin').textContent()) ?? '';
    await page.getByTestId('so-pin-written').click();
    for (const i of [0, 1]) {
      const id = (await page.getByTestId(`so-pin-check-${String(i)}`).getAttribute('id')) ?? '';
      const label = (await page.locator(`label[for="${id}"]`).textContent()) ?? '';
      const ordinal = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'].findIndex((o) => label.includes(o));
      await page.getByTestId(`so-pin-check-${String(i)}`).fill(soPin.split('-')[ordinal] ?? '');
    }
    await page.getByTestId('so-pin-ack').click();
    await expect(page.getByRole('heading', { name: 'Keys' })).toBeVisible();
    await expect(page.getByText('payroll')).toBeVisible();
    await capture(page, info, 'ceremony-restored-keys');
    await fresh.stop();
    const decrypted = cli(['kms', 'decrypt', '--ciphertext-blob', blob], fresh.home, newPassphrase);
    expect(decrypted.status, decrypted.stderr).toBe(0);
    expect(Buffer.from((JSON.parse(decrypted.stdout) as { Plaintext: string }).Plaintext, 'base64').toString()).toBe('salaries');
    expect(cli(['audit', 'export'], fresh.home, newPassphrase).stdout).toMatch(/"eventName":"RestoreVault".*"custodians":"ana, cy"/);
  } finally {
    await fresh.stop();
  }
});
