import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { capture } from './capture';
import { openUnlocked, hostWithVaultForEachTest, type RunningHost } from './host';

let dir: string;
let host: RunningHost;
hostWithVaultForEachTest('strongroom-contacts-', (made) => {
  ({ dir, host } = made);
});

test('contacts added from a pasted age recipient and a picked PEM file, each with its fingerprint to compare; a private key refused at its field; removed', async ({ page }, info) => {
  await openUnlocked(page, host);
  await page.getByTestId('nav-contacts').click();
  await expect(page.getByTestId('contacts-list')).toHaveText('No contacts yet.');

  await page.getByTestId('contact-name').fill('Carol');
  await page.getByTestId('contact-key').fill('age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p');
  await page.getByTestId('contact-description').fill('Carol in accounts');
  await page.getByTestId('add-contact').click();
  await expect(page.getByTestId('contact-added')).toContainText('Added Carol. Its fingerprint is SHA256:');
  await expect(page.getByTestId('contact-Carol')).toContainText('age recipient');

  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'private.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await page.getByTestId('contact-name').fill('Dan');
  await page.getByTestId('contact-file').setInputFiles(join(dir, 'private.pem'));
  await page.getByTestId('add-contact').click();
  await expect(page.getByText('this is a private key')).toBeVisible();

  writeFileSync(join(dir, 'dan.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  await page.getByTestId('contact-file').setInputFiles(join(dir, 'dan.pem'));
  await page.getByTestId('add-contact').click();
  await expect(page.getByTestId('contact-Dan')).toContainText('RSA public key');
  await expect(page.getByTestId('contact-fingerprint-Dan')).toHaveText(/^SHA256:[A-Za-z0-9+/]{43}$/);
  await capture(page, info, 'contacts');

  await page.getByTestId('remove-contact-Carol').click();
  await page.getByTestId('confirm').click();
  await expect(page.getByTestId('contact-Carol')).toHaveCount(0);
  await expect(page.getByTestId('contact-Dan')).toBeVisible();
});

test('age identities made in the vault, each with its recipient to give out; removed', async ({ page }) => {
  await openUnlocked(page, host);
  await page.getByTestId('nav-contacts').click();
  await expect(page.getByTestId('identities-list')).toHaveText('No age identities yet.');
  await page.getByTestId('identity-name').fill('inbox');
  await page.getByTestId('new-identity').click();
  await expect(page.getByTestId('identity-recipient-inbox')).toHaveText(/^age1[02-9ac-hj-np-z]{58}$/);
  await page.getByTestId('identity-name').fill('quantum');
  await page.getByTestId('identity-pq').check();
  await page.getByTestId('new-identity').click();
  await expect(page.getByTestId('identity-recipient-quantum')).toHaveText(/^age1pq1/);
  await expect(page.getByTestId('identity-quantum')).toContainText('post-quantum');
  await page.getByTestId('remove-identity-inbox').click();
  await page.getByTestId('confirm').click();
  await expect(page.getByTestId('identity-inbox')).toHaveCount(0);
});
