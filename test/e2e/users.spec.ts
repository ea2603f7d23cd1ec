import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { capture } from './capture';
import { CLI, openUnlocked, PIN, hostWithVaultForEachTest, type RunningHost } from './host';

let dir: string;
let host: RunningHost;
hostWithVaultForEachTest('strongroom-users-', (made) => {
  ({ dir, host } = made);
});

/** `strongroom <args>` as the account root, through the host that holds the vault; its JSON answer. */
function root(args: string[]): Record<string, unknown> {
  const run = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, STRONGROOM_HOME: join(dir, 'vault') }, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

test('a user made with an access key whose secret shows once; the interface signed in as that user is refused, then let through by a grant token, until the PIN unlocks as the root', async ({ page }, info) => {
  await openUnlocked(page, host);
  const keyId = (root(['kms', 'create-key']).KeyMetadata as { KeyId: string }).KeyId;
  await page.getByTestId('nav-users').click();
  await expect(page.getByTestId('users-list')).toHaveText('No users yet.');
  await page.getByTestId('new-user-name').fill('ana');
  await page.getByTestId('create-user').click();
  await expect(page.getByTestId('user-detail')).toContainText(/user\/ana/);
  const anaArn = (await page.getByTestId('user-arn').innerText()).trim();

  await page.getByTestId('create-access-key').click();
  await expect(page.getByTestId('new-secret-masked')).toBeVisible();
  await page.getByTestId('new-secret-toggle').click();
  const secret = (await page.getByTestId('new-secret').innerText()).trim();
  expect(secret).toMatch(/^[A-Za-z0-9+/]{40}$/);
  const accessKeyId = (await page.getByTestId('access-keys').locator('tbody td').first().innerText()).trim();
  expect(accessKeyId).toMatch(/^AKIA/);
  await capture(page, info, 'users-new-access-key');
  await page.getByTestId('secret-saved').click();
  await expect(page.getByTestId('new-secret')).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  // An inline policy, read back in words before it is saved.
  await page.getByTestId('new-policy').click();
  await page.getByTestId('user-policy-name').fill('describe');
  await page.getByTestId('user-policy-editor').fill(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' }] }));
  await expect(page.getByTestId('user-policy-statements')).toContainText('Allows');
  await page.getByTestId('save-user-policy').click();
  await expect(page.getByTestId('policy-describe')).toBeVisible();

  await page.getByTestId('act-as-id').fill(accessKeyId);
  await page.getByTestId('act-as-secret').fill('x'.repeat(40));
  await page.getByTestId('act-as').click();
  await expect(page.getByText('InvalidSignatureException').or(page.getByText('is not its secret'))).toBeVisible();
  await page.getByTestId('act-as-secret').fill(secret);
  await page.getByTestId('act-as').click();
  await expect(page.getByTestId('status-acting')).toContainText(`Acting as user ana (access key ${accessKeyId})`);

  await page.getByTestId('nav-crypto').click();
  await page.getByTestId('crypto-key').fill(keyId);
  await page.getByTestId('crypto-input').fill('for ana');
  await page.getByTestId('encrypt').click();
  await expect(page.getByTestId('error')).toHaveCount(1);
  await expect(page.getByTestId('error')).toContainText('AccessDeniedException');
  await expect(page.getByTestId('error')).toContainText('user/ana is not authorized to perform: kms:Encrypt');

  const { GrantToken } = root(['kms', 'create-grant', '--key-id', keyId, '--grantee-principal', anaArn, '--operations', 'Encrypt']) as { GrantToken: string };
  await page.getByTestId('grant-tokens').fill(GrantToken);
  await page.getByTestId('encrypt').click();
  await expect(page.getByTestId('ciphertext')).toHaveValue(/^[A-Za-z0-9+/]+=*$/);

  // Locking ends the user's session: the PIN unlocks as the account root.
  await page.getByTestId('lock').click();
  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('pin').press('Enter');
  await expect(page.getByTestId('status-acting')).toContainText('Acting as account root');
});
