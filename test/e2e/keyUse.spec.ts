import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { capture } from './capture';
import { openUnlocked, hostWithVaultForEachTest, type RunningHost } from './host';

let dir: string;
let host: RunningHost;
hostWithVaultForEachTest('strongroom-key-use-', (made) => {
  ({ dir, host } = made);
});

/** Creates a key through the form: the spec, then the usage, then a description. */
async function createKey(page: Page, spec: string, usage: string | undefined, description: string): Promise<void> {
  await page.getByTestId('create-key-open').click();
  await page.getByTestId('create-key-spec').selectOption(spec);
  if (usage !== undefined) await page.getByTestId('create-key-usage').selectOption(usage);
  await page.getByTestId('create-key-description').fill(description);
  await page.getByTestId('create-key').click();
  await expect(page.getByTestId('key-title')).toBeVisible();
}

test('a signing key made in the form: only its usages offered, its public key shown and downloaded for openssl, a message signed and verified', async ({ page }, info) => {
  await openUnlocked(page, host);
  await page.getByTestId('create-key-open').click();
  await page.getByTestId('create-key-spec').selectOption('ECC_NIST_P256');
  await expect(page.getByTestId('create-key-usage').locator('option')).toHaveText(['Sign and verify', 'Key agreement (ECDH)']);
  await page.getByTestId('create-key-spec').selectOption('ECC_NIST_EDWARDS25519');
  await expect(page.getByTestId('create-key-usage').locator('option')).toHaveText(['Sign and verify']);
  await expect(page.getByTestId('create-key-usage')).toBeDisabled();
  await capture(page, info, 'create-signing-key');
  await page.keyboard.press('Escape');

  await createKey(page, 'ECC_NIST_P256', 'SIGN_VERIFY', 'Release signing');
  await expect(page.getByTestId('key-detail')).toContainText('SIGN_VERIFY');
  await page.getByTestId('tab-public-key').click();
  await expect(page.getByTestId('public-key-pem')).toContainText('-----BEGIN PUBLIC KEY-----');
  await expect(page.getByTestId('key-algorithms')).toHaveText('Algorithms: ECDSA_SHA_256');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('save-public-key-pem').click();
  const saved = join(dir, 'key.pem');
  await (await downloading).saveAs(saved);
  expect(execFileSync('openssl', ['pkey', '-pubin', '-in', saved, '-noout', '-text']).toString()).toContain('NIST CURVE: P-256');
  // The JWK is the same key, as node:crypto reads it.
  const jwkDownload = page.waitForEvent('download');
  await page.getByTestId('save-public-key-jwk').click();
  const jwkFile = join(dir, 'key.jwk.json');
  await (await jwkDownload).saveAs(jwkFile);
  const jwk = JSON.parse(readFileSync(jwkFile, 'utf8')) as Record<string, string>;
  expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  expect(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' })).toBe(readFileSync(saved, 'utf8'));

  await page.getByTestId('tab-sign').click();
  await page.getByTestId('sign-message').fill('release 1.0, byte for byte');
  await page.getByTestId('sign').click();
  await expect(page.getByTestId('sign-output')).not.toHaveValue('');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toContainText('Valid');
  await capture(page, info, 'key-sign');
  await page.getByTestId('sign-message').fill('release 1.0, changed');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toContainText('Not valid');
  // A key that does not rotate says so instead of failing to load.
  await page.getByTestId('tab-rotation').click();
  await expect(page.getByTestId('rotation-status')).toContainText('does not rotate');
});

test('an HMAC key made in the form makes and checks MACs', async ({ page }) => {
  await openUnlocked(page, host);
  await createKey(page, 'HMAC_256', undefined, 'Ledger MACs');
  await expect(page.getByTestId('tab-public-key')).toHaveCount(0);
  await page.getByTestId('tab-mac').click();
  await expect(page.getByTestId('sign-algorithm')).toHaveValue('HMAC_SHA_256');
  await page.getByTestId('sign-message').fill('ledger line 7');
  await page.getByTestId('sign').click();
  await expect(page.getByTestId('sign-output')).toHaveValue(/^[A-Za-z0-9+/]{43}=$/);
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toContainText('Valid');
  await page.getByTestId('sign-message').fill('ledger line 8');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toContainText('Not valid');
});

test('JWKs of the keys WebCrypto does not read: secp256k1 (RFC 8812) as node:crypto reads it, ML-DSA as AKP with the public key of the PEM; SM2 has none', async ({ page }) => {
  await openUnlocked(page, host);
  const save = async (testid: string, name: string): Promise<string> => {
    const downloading = page.waitForEvent('download');
    await page.getByTestId(testid).click();
    const path = join(dir, name);
    await (await downloading).saveAs(path);
    return path;
  };
  await createKey(page, 'ECC_SECG_P256K1', undefined, 'Chain signer');
  await page.getByTestId('tab-public-key').click();
  const k1Pem = readFileSync(await save('save-public-key-pem', 'k1.pem'), 'utf8');
  const k1 = JSON.parse(readFileSync(await save('save-public-key-jwk', 'k1.jwk.json'), 'utf8')) as Record<string, string>;
  expect(k1).toMatchObject({ kty: 'EC', crv: 'secp256k1' });
  expect(createPublicKey({ key: k1, format: 'jwk' }).export({ type: 'spki', format: 'pem' })).toBe(k1Pem);

  await page.getByTestId('nav-keys').click();
  await createKey(page, 'ML_DSA_65', undefined, 'Post-quantum signer');
  await page.getByTestId('tab-public-key').click();
  const der = readFileSync(await save('save-public-key-der', 'mldsa.der'));
  const akp = JSON.parse(readFileSync(await save('save-public-key-jwk', 'mldsa.jwk.json'), 'utf8')) as Record<string, string>;
  expect(akp).toMatchObject({ kty: 'AKP', alg: 'ML-DSA-65' });
  expect(Buffer.from(akp.pub ?? '', 'base64url').equals(der.subarray(der.length - 1952))).toBe(true);

  await page.getByTestId('nav-keys').click();
  await createKey(page, 'SM2', 'SIGN_VERIFY', 'SM2 signer');
  await page.getByTestId('tab-public-key').click();
  await expect(page.getByTestId('public-key-pem')).toContainText('-----BEGIN PUBLIC KEY-----');
  await expect(page.getByTestId('save-public-key-jwk')).toHaveCount(0);
});
