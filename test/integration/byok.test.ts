import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, errorOf, initCliVault, type CliResult } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { PIN } from '../helpers/vault';

function ok(result: CliResult): Record<string, unknown> {
  expect(result.status, result.stderr).toBe(0);
  return result.json as Record<string, unknown>;
}

const MESSAGE = Buffer.from('quarterly ledger').toString('base64');

describe('strongroom byok wrap', () => {
  let a: Record<string, string>;
  let b: Record<string, string>;
  let dir: string;
  let exportable: string;
  beforeAll(() => {
    a = initCliVault(PIN).env;
    b = initCliVault(PIN).env;
    dir = tempDir();
    const made = ok(cli(['kms', 'create-key', '--key-spec', 'HMAC_256', '--key-usage', 'GENERATE_VERIFY_MAC', '--exportable'], a));
    exportable = (made.KeyMetadata as { KeyId: string }).KeyId;
    expect(made.KeyMetadata).toMatchObject({ Exportable: true });
  });

  it('wraps an exportable HMAC key of vault A into an EXTERNAL key of vault B: both give the same MAC', () => {
    const external = (ok(cli(['kms', 'create-key', '--key-spec', 'HMAC_256', '--key-usage', 'GENERATE_VERIFY_MAC', '--origin', 'EXTERNAL'], b)).KeyMetadata as { KeyId: string }).KeyId;
    const parameters = ok(cli(['kms', 'get-parameters-for-import', '--key-id', external, '--wrapping-algorithm', 'RSA_AES_KEY_WRAP_SHA_256', '--wrapping-key-spec', 'RSA_3072'], b));
    const publicKey = join(dir, 'WrappingPublicKey.bin');
    writeFileSync(publicKey, Buffer.from(String(parameters.PublicKey), 'base64')); // as `base64 -d` of the AWS CLI's output makes it
    const wrapped = join(dir, 'EncryptedKeyMaterial.bin');
    const said = ok(cli(['byok', 'wrap', '--key-id', exportable, '--wrapping-public-key', publicKey, '--wrapping-algorithm', 'RSA_AES_KEY_WRAP_SHA_256', '-o', wrapped], a));
    expect(said).toMatchObject({ KeyId: expect.stringContaining(exportable) as string, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256' });
    expect(said).not.toHaveProperty('EncryptedKeyMaterial');
    ok(cli(['kms', 'import-key-material', '--key-id', external, '--import-token', String(parameters.ImportToken), '--encrypted-key-material', `fileb://${wrapped}`, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE'], b));

    const macOf = (env: Record<string, string>, keyId: string): string => String(ok(cli(['kms', 'generate-mac', '--key-id', keyId, '--message', MESSAGE, '--mac-algorithm', 'HMAC_SHA_256'], env)).Mac);
    expect(macOf(b, external)).toBe(macOf(a, exportable));
    expect(cli(['audit', 'export'], a).stdout).toMatch(/"eventName":"WrapKeyMaterial"/);
    expect(cli(['audit', 'export'], a).stdout).not.toContain(readFileSync(wrapped).toString('base64').slice(0, 40));
  });

  it('wraps with RSAES-OAEP SHA-256 so that openssl unwraps it: the material gives the vault’s MAC', () => {
    const privateKey = join(dir, 'wrapping.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', privateKey], { stdio: 'pipe' });
    const publicPem = join(dir, 'wrapping.pub.pem');
    execFileSync('openssl', ['pkey', '-in', privateKey, '-pubout', '-out', publicPem], { stdio: 'pipe' });
    const wrapped = join(dir, 'oaep.bin');
    ok(cli(['byok', 'wrap', '--key-id', exportable, '--wrapping-public-key', publicPem, '--wrapping-algorithm', 'RSAES_OAEP_SHA_256', '-o', wrapped], a));
    const material = execFileSync('openssl', ['pkeyutl', '-decrypt', '-inkey', privateKey, '-in', wrapped, '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256']);
    expect(material).toHaveLength(32);
    const mac = ok(cli(['kms', 'generate-mac', '--key-id', exportable, '--message', MESSAGE, '--mac-algorithm', 'HMAC_SHA_256'], a)).Mac;
    expect(createHmac('sha256', material).update(Buffer.from(MESSAGE, 'base64')).digest('base64')).toBe(mac);
  });

  it('refuses a key not created exportable, and an exportable key on a token', () => {
    const plain = (ok(cli(['kms', 'create-key'], a)).KeyMetadata as { KeyId: string }).KeyId;
    expect(ok(cli(['kms', 'describe-key', '--key-id', plain], a)).KeyMetadata).not.toHaveProperty('Exportable');
    const publicKey = join(dir, 'wrapping.pub.pem');
    expect(errorOf(cli(['byok', 'wrap', '--key-id', plain, '--wrapping-public-key', publicKey, '--wrapping-algorithm', 'RSAES_OAEP_SHA_256', '-o', join(dir, 'never.bin')], a))).toMatchObject({ __type: 'UnsupportedOperationException', message: expect.stringMatching(/was not created Exportable/) as string });
    expect(errorOf(cli(['kms', 'create-key', '--origin', 'AWS_CLOUDHSM', '--custom-key-store-id', 'cks-1234567890abcdef0', '--exportable'], a)).message).toMatch(/cannot be Exportable/);
  });
});
