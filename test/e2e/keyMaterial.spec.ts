import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { capture } from './capture';
import { openUnlocked, hostWithVaultForEachTest, type RunningHost } from './host';

let dir: string;
let host: RunningHost;
hostWithVaultForEachTest('strongroom-key-material-', (made) => {
  ({ dir, host } = made);
});

/** Clicks `testid` and saves the file it offers as `name` in the test's directory. */
async function downloaded(page: Page, testid: string, name: string): Promise<string> {
  const downloading = page.waitForEvent('download');
  await page.getByTestId(testid).click();
  const path = join(dir, name);
  await (await downloading).saveAs(path);
  return path;
}

test('a key store on the vault’s own token, added in Settings; a signing key made on the token signs and verifies', async ({ page }, info) => {
  await openUnlocked(page, host);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('new-store-name').fill('own token');
  await page.getByTestId('new-store-uri').fill('pkcs11:token=Strongroom');
  await page.getByTestId('create-store').click();
  await expect(page.getByTestId('key-store-state-own token')).toHaveText('Disconnected');
  await page.getByTestId('connect-own token').click();
  await expect(page.getByTestId('key-store-state-own token')).toHaveText('Connected');
  await capture(page, info, 'key-stores');

  await page.getByTestId('nav-keys').click();
  await page.getByTestId('create-key-open').click();
  await page.getByTestId('create-key-spec').selectOption('ECC_NIST_P256');
  await page.getByTestId('create-key-usage').selectOption('SIGN_VERIFY');
  await page.getByTestId('create-key-where').selectOption({ label: 'On the token: own token' });
  await expect(page.getByTestId('create-key-summary')).toContainText('made on the token of own token');
  await page.getByTestId('create-key-description').fill('Signed on the token');
  await page.getByTestId('create-key').click();
  await expect(page.getByTestId('key-origin')).toContainText('On a token');

  await page.getByTestId('tab-public-key').click();
  const pem = await downloaded(page, 'save-public-key-pem', 'token-key.pem');
  expect(execFileSync('openssl', ['pkey', '-pubin', '-in', pem, '-noout', '-text']).toString()).toContain('NIST CURVE: P-256');
  await page.getByTestId('tab-sign').click();
  await page.getByTestId('sign-message').fill('signed by the token');
  await page.getByTestId('sign').click();
  await expect(page.getByTestId('sign-output')).not.toHaveValue('');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toContainText('Valid');
  // No data key pairs under a key on a token, and no import for a key made there.
  await expect(page.getByTestId('tab-data-key-pairs')).toHaveCount(0);
  await expect(page.getByTestId('tab-material')).toHaveCount(0);
});

test('material imported through the wizard, wrapped by openssl; then data key pairs under the key, and the material deleted', async ({ page }, info) => {
  await openUnlocked(page, host);
  await page.getByTestId('create-key-open').click();
  await page.getByTestId('create-key-where').selectOption('external');
  await expect(page.getByTestId('create-key-summary')).toContainText('key material you import');
  await page.getByTestId('create-key-description').fill('Ceremony key');
  await page.getByTestId('create-key').click();
  await expect(page.getByTestId('key-state')).toContainText('Pending import');
  await expect(page.getByTestId('tab-data-key-pairs')).toBeVisible();

  await page.getByTestId('tab-material').click();
  await expect(page.getByTestId('material-status')).toContainText('no material yet');
  await expect(page.getByTestId('wrapping-algorithm')).toHaveValue('RSA_AES_KEY_WRAP_SHA_256');
  await page.getByTestId('wrapping-spec').selectOption('RSA_3072');
  await page.getByTestId('get-parameters').click();
  await expect(page.getByTestId('parameters-valid-to')).toBeVisible();
  await expect(page.getByTestId('openssl-steps')).toContainText('-id-aes256-wrap-pad');
  const wrappingKey = await downloaded(page, 'save-wrapping-key', 'wrapping-key.pem');
  expect(execFileSync('openssl', ['pkey', '-pubin', '-in', wrappingKey, '-noout', '-text']).toString()).toContain('Public-Key: (3072 bit)');
  expect(statSync(await downloaded(page, 'save-import-token', 'import-token.bin')).size).toBeGreaterThan(0);
  await capture(page, info, 'import-material');

  // Wrapped outside, as the openssl steps shown say: an AES key under RSAES-OAEP SHA-256, the material under AES key wrap with padding.
  const aesKey = randomBytes(32);
  writeFileSync(join(dir, 'aes-key.bin'), aesKey);
  writeFileSync(join(dir, 'material.bin'), randomBytes(32));
  execFileSync('openssl', ['pkeyutl', '-encrypt', '-pubin', '-inkey', wrappingKey, '-in', join(dir, 'aes-key.bin'), '-out', join(dir, 'wrapped-aes-key.bin'), '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256']);
  execFileSync('openssl', ['enc', '-id-aes256-wrap-pad', '-K', aesKey.toString('hex'), '-iv', 'A65959A6', '-in', join(dir, 'material.bin'), '-out', join(dir, 'wrapped-material.bin')]);
  writeFileSync(join(dir, 'wrapped.bin'), Buffer.concat([readFileSync(join(dir, 'wrapped-aes-key.bin')), readFileSync(join(dir, 'wrapped-material.bin'))]));
  await page.getByTestId('wrapped-material').setInputFiles(join(dir, 'wrapped.bin'));
  await page.getByTestId('import-material').click();
  await expect(page.getByTestId('material-status')).toContainText('does not expire');

  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('key-state')).toContainText('Enabled');
  await expect(page.getByTestId('key-origin')).toHaveText('In this vault, with imported material');

  await page.getByTestId('tab-data-key-pairs').click();
  await page.getByTestId('pair-spec').selectOption('RSA_2048');
  await page.getByTestId('pair-context').fill('purpose=release signing');
  await page.getByTestId('generate-pair').click();
  await expect(page.getByTestId('pair-public-key')).toContainText('-----BEGIN PUBLIC KEY-----');
  const pairPublic = await downloaded(page, 'save-pair-public-key', 'pair.pem');
  expect(execFileSync('openssl', ['pkey', '-pubin', '-in', pairPublic, '-noout', '-text']).toString()).toContain('Public-Key: (2048 bit)');
  expect(statSync(await downloaded(page, 'save-pair-private-key', 'pair-private.encrypted')).size).toBeGreaterThan(1000);

  await page.getByTestId('tab-material').click();
  await page.getByTestId('delete-material').click();
  await page.getByTestId('confirm').click();
  await expect(page.getByTestId('material-status')).toContainText('no material yet');
});

/** Makes a key through the form, of `spec` for SIGN_VERIFY. */
async function signingKey(page: Page, spec: string, description: string): Promise<void> {
  await page.getByTestId('create-key-open').click();
  await page.getByTestId('create-key-spec').selectOption(spec);
  await page.getByTestId('create-key-usage').selectOption('SIGN_VERIFY');
  await page.getByTestId('create-key-description').fill(description);
  await page.getByTestId('create-key').click();
  await expect(page.getByTestId('key-title')).toBeVisible();
}

test('certificates from a key’s Certificates tab: a request, a root CA, and the certificate it issues for the request; openssl verifies the chain', async ({ page }, info) => {
  await openUnlocked(page, host);
  await signingKey(page, 'ECC_NIST_P256', 'Release signer');
  await page.getByTestId('tab-certificates').click();
  await page.getByTestId('certificate-subject').fill('CN=signer.example,O=Example');
  await page.getByTestId('certificate-san').fill('DNS:signer.example');
  await page.getByTestId('make-certificate').click();
  await expect(page.getByTestId('certificate-pem')).toContainText('-----BEGIN CERTIFICATE REQUEST-----');
  const csr = await downloaded(page, 'save-certificate', 'leaf.csr');
  expect(() => execFileSync('openssl', ['req', '-in', csr, '-verify', '-noout'], { stdio: 'pipe' })).not.toThrow();

  await page.getByTestId('nav-keys').click();
  await signingKey(page, 'ECC_NIST_P384', 'Root CA');
  await page.getByTestId('tab-certificates').click();
  await page.getByTestId('certificate-kind').selectOption('self-signed');
  await page.getByTestId('certificate-subject').fill('CN=Example Root CA,O=Example');
  await page.getByTestId('certificate-days').fill('3650');
  await page.getByTestId('certificate-ca').check();
  await page.getByTestId('make-certificate').click();
  await expect(page.getByTestId('certificate-pem')).toContainText('-----BEGIN CERTIFICATE-----');
  const root = await downloaded(page, 'save-certificate', 'root.pem');
  expect(execFileSync('openssl', ['x509', '-in', root, '-noout', '-text']).toString()).toMatch(/CA:TRUE/);
  await capture(page, info, 'key-certificates');

  await page.getByTestId('certificate-kind').selectOption('issued');
  await page.getByTestId('certificate-issuer').setInputFiles(root);
  await page.getByTestId('certificate-csr').setInputFiles(csr);
  await page.getByTestId('certificate-days').fill('365');
  await page.getByTestId('certificate-ca').uncheck();
  await page.getByTestId('make-certificate').click();
  await expect(page.getByTestId('certificate-pem')).toContainText('-----BEGIN CERTIFICATE-----');
  const leaf = await downloaded(page, 'save-certificate', 'leaf.pem');
  expect(execFileSync('openssl', ['verify', '-CAfile', root, leaf]).toString()).toContain('OK');
  expect(execFileSync('openssl', ['x509', '-in', leaf, '-noout', '-subject']).toString()).toContain('CN = signer.example');
});
