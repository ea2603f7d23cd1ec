// The ceremonies that move keys, from the Ceremonies screen: a replica bundle
// for another vault's request, key material wrapped for another KMS, and the
// root key moved to a new token; the other vault and the checks run on the
// command line.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { findSoftHsm2 } from '../../src-main/hsm/module';
import { capture } from './capture';
import { CLI, PIN, startHost, type RunningHost } from './host';

const NEW_PIN = '135791113';
const MESSAGE = Buffer.from('quarterly ledger').toString('base64');

let dir: string;
let host: RunningHost | undefined;
test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strongroom-e2e-key-ceremonies-'));
});
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
  rmSync(dir, { recursive: true, force: true });
});

test('a replica bundle, key material for a cloud KMS, and the move to a new token, each reviewed step by step; a lost token’s form on the Unlock screen', async ({ page }, info) => {
  test.setTimeout(180_000);
  const conf = join(dir, 'softhsm2.conf');
  mkdirSync(join(dir, 'tokens'));
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  for (const [label, pin] of [['Primary', PIN], ['Replica', PIN], ['New', NEW_PIN]] as const) {
    execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--so-pin', '87654321', '--pin', pin], { env: { ...process.env, SOFTHSM2_CONF: conf }, stdio: 'pipe' });
  }
  const module = findSoftHsm2();
  const primary = join(dir, 'primary');
  const replica = join(dir, 'replica');
  const cli = (home: string, args: string[]): Record<string, unknown> => {
    const run = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, SOFTHSM2_CONF: conf, STRONGROOM_HOME: home, STRONGROOM_PIN: PIN }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    return run.stdout.trim() === '' ? {} : (JSON.parse(run.stdout) as Record<string, unknown>);
  };
  const keyIdOf = (made: Record<string, unknown>): string => (made.KeyMetadata as { KeyId: string }).KeyId;
  cli(primary, ['init', '--pkcs11', `pkcs11:token=Primary?module-path=${module}`, '--region', 'eu-west-1']);
  cli(replica, ['init', '--pkcs11', `pkcs11:token=Replica?module-path=${module}`, '--region', 'us-east-1']);
  const multiRegion = keyIdOf(cli(primary, ['kms', 'create-key', '--multi-region', '--description', 'payroll, in both Regions']));
  const external = keyIdOf(cli(replica, ['kms', 'create-key', '--key-spec', 'HMAC_256', '--key-usage', 'GENERATE_VERIFY_MAC', '--origin', 'EXTERNAL']));
  const parameters = cli(replica, ['kms', 'get-parameters-for-import', '--key-id', external, '--wrapping-algorithm', 'RSA_AES_KEY_WRAP_SHA_256', '--wrapping-key-spec', 'RSA_3072']);
  writeFileSync(join(dir, 'WrappingPublicKey.bin'), Buffer.from(String(parameters.PublicKey), 'base64'));
  cli(replica, ['replica', 'request', '-o', join(dir, 'request.json')]);

  host = await startHost({ home: primary, env: { SOFTHSM2_CONF: conf } });
  // A lost token is replaced from the Unlock screen, with the recovery split's shares.
  await page.goto(host.url);
  await page.getByTestId('token-lost').getByText('The token is lost or broken?').click();
  await expect(page.getByTestId('token-lost').getByTestId('share-path')).toHaveCount(2);
  await expect(page.getByTestId('rewrap-problem')).toHaveText('Give the module path or pkcs11: URI of the new token.');
  await capture(page, info, 'unlock-token-lost');
  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('pin').press('Enter');
  await expect(page.getByTestId('vault-state')).toHaveText('Unlocked');

  // An exportable key, made in the form; its detail says so.
  await page.getByTestId('create-key-open').click();
  await page.getByTestId('create-key-spec').selectOption('HMAC_256');
  await page.getByTestId('create-key-exportable').check();
  await page.getByTestId('create-key-description').fill('ledger MAC, for the cloud');
  await page.getByTestId('create-key').click();
  await expect(page.getByTestId('key-exportable')).toHaveText(/^Yes/);
  const exportable = (await page.getByTestId('key-id-full').textContent()) ?? '';
  await page.getByTestId('nav-ceremonies').click();

  await page.getByTestId('tab-replicas').click();
  await page.getByTestId('replica-key').fill(multiRegion);
  await page.getByTestId('replica-incoming-request').fill(join(dir, 'request.json'));
  await expect(page.getByTestId('replica-export-problem')).toHaveText('Choose where the bundle goes.');
  await page.getByTestId('replica-bundle-file').fill(join(dir, 'bundle.json'));
  await page.getByTestId('replica-export-review').click();
  await expect(page.getByTestId('replica-export')).toBeDisabled();
  await page.getByTestId('step-confirm').click();
  await page.getByTestId('replica-export').click();
  await expect(page.getByTestId('replica-exported')).toContainText(':us-east-1:');
  await page.getByTestId('nav-keys').click();
  await page.getByTestId('key-close').click(); // the key made above is still open
  await page.getByText('payroll, in both Regions').click();
  await expect(page.getByTestId('key-multi-region')).toHaveText('Primary key; primary in eu-west-1, replicas in us-east-1');
  await page.getByTestId('nav-ceremonies').click();
  cli(replica, ['replica', 'import', join(dir, 'bundle.json')]);
  const blob = String(cli(primary, ['kms', 'encrypt', '--key-id', multiRegion, '--plaintext', MESSAGE]).CiphertextBlob);
  expect(cli(replica, ['kms', 'decrypt', '--ciphertext-blob', blob]).Plaintext).toBe(MESSAGE);

  await page.getByTestId('tab-byok').click();
  await page.getByTestId('byok-key').fill(exportable);
  await page.getByTestId('byok-public-key').fill(join(dir, 'WrappingPublicKey.bin'));
  await page.getByTestId('byok-file').fill(join(dir, 'EncryptedKeyMaterial.bin'));
  await page.getByTestId('byok-review').click();
  await page.getByTestId('step-confirm').click();
  await page.getByTestId('step-confirm').click();
  await page.getByTestId('byok-confirm').click();
  await expect(page.getByTestId('byok-done')).toContainText('RSA_AES_KEY_WRAP_SHA_256');
  cli(replica, ['kms', 'import-key-material', '--key-id', external, '--import-token', String(parameters.ImportToken), '--encrypted-key-material', `fileb://${join(dir, 'EncryptedKeyMaterial.bin')}`, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE']);
  const macOf = (home: string, keyId: string): unknown => cli(home, ['kms', 'generate-mac', '--key-id', keyId, '--message', MESSAGE, '--mac-algorithm', 'HMAC_SHA_256']).Mac;
  expect(macOf(replica, external)).toBe(macOf(primary, exportable));

  await page.getByTestId('tab-rewrap').click();
  await page.getByTestId('rewrap-pkcs11').fill(module);
  await page.getByTestId('rewrap-list-tokens').click();
  await page.getByRole('button', { name: 'Use token New' }).click();
  await expect(page.getByTestId('rewrap-token-label')).toHaveValue('New');
  await page.getByTestId('rewrap-root-of-trust').selectOption('rsa');
  await page.getByTestId('rewrap-pin').fill(NEW_PIN);
  await page.getByTestId('rewrap-pin-repeat').fill(NEW_PIN);
  await page.getByTestId('rewrap-current-pin').fill(PIN);
  await page.getByTestId('participant-name').nth(0).fill('Ada Byron');
  await page.getByTestId('transcript-base').fill(join(dir, 'rewrap'));
  await capture(page, info, 'ceremony-rewrap-form');
  await page.getByTestId('rewrap-review').click();
  await page.getByTestId('step-confirm').click();
  await page.getByTestId('step-confirm').click();
  await capture(page, info, 'ceremony-rewrap-review');
  await page.getByTestId('rewrap-confirm').click();
  await expect(page.getByTestId('rewrap-done')).toContainText('on token “New”');
  await expect(page.getByTestId('rewrap-done')).toContainText('strongroom root ');
  await expect(page.getByTestId('vault-state')).toHaveText('Unlocked');
  await capture(page, info, 'ceremony-rewrap-done');
  const transcript = JSON.parse(readFileSync(join(dir, 'rewrap.txt'), 'utf8')) as { Ceremony: string; Steps: unknown[]; Facts: Record<string, string> };
  expect(transcript).toMatchObject({ Ceremony: 'Rewrap', Facts: { NewToken: expect.stringMatching(/^New \(/) } });
  expect(transcript.Steps).toHaveLength(3);
  expect(cli(primary, ['status']).Token).toMatchObject({ Label: 'New' });
});
