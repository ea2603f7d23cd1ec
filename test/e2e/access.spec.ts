import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { capture } from './capture';
import { CLI, openUnlocked, hostWithVaultForEachTest, type RunningHost } from './host';

/** The account id in a key ARN. */
const keyArn = (arn: string): string => arn.trim().split(':')[4] ?? '';

let dir: string;
let host: RunningHost;
hostWithVaultForEachTest('strongroom-access-', (made) => {
  ({ dir, host } = made);
});

test('a key policy edited with its statements in words and the change shown, saved, then deciding; grants made, listed and revoked', async ({ page }, info) => {
  await openUnlocked(page, host);
  await page.getByTestId('create-key-open').click();
  await page.getByTestId('create-key-description').fill('Payroll');
  await page.getByTestId('create-key').click();
  await page.getByTestId('tab-policy').click();
  await expect(page.getByTestId('policy-statements')).toContainText('Statement 0 (Enable IAM User Permissions): Allows account');
  await expect(page.getByTestId('save-policy')).toBeDisabled();

  const policy = JSON.parse(await page.getByTestId('policy-editor').inputValue()) as { Statement: Record<string, unknown>[] };
  await page.getByTestId('policy-editor').fill('{ "Statement": ');
  await expect(page.getByTestId('policy-problem')).toContainText('This is not JSON');
  await expect(page.getByTestId('save-policy')).toBeDisabled();

  policy.Statement.push({ Sid: 'NoEncrypt', Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { StringNotEquals: { 'kms:EncryptionContext:app': 'payroll' } } });
  await page.getByTestId('policy-editor').fill(JSON.stringify(policy, null, 2));
  await expect(page.getByTestId('policy-statements')).toContainText('Statement 1 (NoEncrypt): Denies anyone to kms:Encrypt on this key, when kms:EncryptionContext:app StringNotEquals payroll.');
  await expect(page.getByTestId('policy-diff')).toContainText('+     "Sid": "NoEncrypt"');
  await capture(page, info, 'key-policy');
  await page.getByTestId('save-policy').click();
  await expect(page.getByTestId('save-policy')).toBeDisabled();
  await expect(page.getByTestId('policy-diff')).toHaveCount(0);
  // It decides at once, for every door: the command line, through the host that holds the vault, is refused without the context.
  const keyId = (await page.getByTestId('key-id-full').innerText()).trim();
  const encrypt = (context: string[]) => spawnSync(process.execPath, [CLI, 'kms', 'encrypt', '--key-id', keyId, '--plaintext', 'cGF5cm9sbA==', ...context], { env: { ...process.env, STRONGROOM_HOME: join(dir, 'vault') }, encoding: 'utf8' });
  const refused = encrypt([]);
  expect(refused.stderr).toContain('AccessDeniedException');
  expect(refused.stderr).toContain('Sid \\"NoEncrypt\\"');
  expect(encrypt(['--encryption-context', 'app=payroll']).status).toBe(0);

  // A policy that would lock the account out is refused with the core's words, and kept in the editor to fix.
  await page.getByTestId('policy-editor').fill(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' }] }));
  await page.getByTestId('save-policy').click();
  await expect(page.getByRole('alert').filter({ hasText: 'will not allow you to update the key policy' })).toBeVisible();
  await page.getByTestId('revert-policy').click();

  // The simulator, on the policy in force: the root is denied Encrypt without the context, by the statement that says so; allowed with it.
  const account = keyArn(await page.getByTestId('key-arn').innerText());
  await page.getByTestId('simulate-principal').fill(`arn:aws:iam::${account}:root`);
  await page.getByTestId('simulate-action').selectOption('kms:Encrypt');
  await page.getByTestId('simulate').click();
  await expect(page.getByTestId('simulate-answer')).toContainText('Denied, explicitly. Explicitly denied by statement 1 (Sid "NoEncrypt") of the key policy.');
  await page.getByTestId('simulate-context').fill('app=payroll');
  await page.getByTestId('simulate').click();
  await expect(page.getByTestId('simulate-answer')).toContainText('Allowed.');

  await page.getByTestId('tab-grants').click();
  await expect(page.getByTestId('grants-list')).toHaveText('No grants.');
  await page.getByTestId('grant-grantee').fill('arn:aws:iam::111122223333:user/bob');
  await page.getByTestId('grant-operation-Decrypt').check();
  await page.getByTestId('grant-constraint').selectOption('subset');
  await page.getByTestId('grant-context').fill('app=payroll');
  await page.getByTestId('grant-name').fill('bob-decrypts');
  await page.getByTestId('create-grant').click();
  const row = page.getByTestId('grant-bob-decrypts');
  await expect(row).toContainText('arn:aws:iam::111122223333:user/bob');
  await expect(row).toContainText('includes {"app":"payroll"}');
  await capture(page, info, 'key-grants');
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByTestId('confirm').click();
  await expect(page.getByTestId('grants-list')).toHaveText('No grants.');

  await page.getByTestId('grant-grantee').fill('bob');
  await page.getByTestId('grant-operation-Encrypt').check();
  await page.getByTestId('create-grant').click();
  await expect(page.getByTestId('grant-grantee')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('GranteePrincipal must be the ARN of an account root, user or role').first()).toBeVisible();
});
