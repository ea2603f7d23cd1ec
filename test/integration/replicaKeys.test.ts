import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, errorOf, type CliResult } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { PIN } from '../helpers/vault';

function ok(result: CliResult): Record<string, unknown> {
  expect(result.status, result.stderr).toBe(0);
  return result.json as Record<string, unknown>;
}

interface Config {
  MultiRegionKeyType: string;
  PrimaryKey: { Arn: string; Region: string };
  ReplicaKeys: { Arn: string; Region: string }[];
}

/** A vault in its own home with a Region of its own. */
function vaultIn(region: string): Record<string, string> {
  const env = { STRONGROOM_HOME: join(tempDir(), region), STRONGROOM_PIN: PIN };
  ok(cli(['init', '--region', region], env));
  return env;
}

describe('multi-Region keys replicated between vaults', () => {
  let europe: Record<string, string>;
  let america: Record<string, string>;
  let dir: string;
  let keyId: string;
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const configOf = (env: Record<string, string>): Config => (ok(cli(['kms', 'describe-key', '--key-id', keyId], env)).KeyMetadata as { MultiRegionConfiguration: Config }).MultiRegionConfiguration;
  const encrypt = (env: Record<string, string>, text: string): string => String(ok(cli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', b64(text)], env)).CiphertextBlob);
  const decrypt = (env: Record<string, string>, blob: string): string => Buffer.from(String(ok(cli(['kms', 'decrypt', '--ciphertext-blob', blob], env)).Plaintext), 'base64').toString();
  /** The three file steps: the replica's request, the primary's bundle, the replica's import. */
  const replicate = (from: Record<string, string>, to: Record<string, string>, name: string): string => {
    const request = join(dir, `${name}.request.json`);
    const bundle = join(dir, `${name}.bundle.json`);
    ok(cli(['replica', 'request', '-o', request], to));
    ok(cli(['replica', 'export', '--key-id', keyId, '--request', request, '-o', bundle], from));
    ok(cli(['replica', 'import', bundle], to));
    return bundle;
  };

  beforeAll(() => {
    europe = vaultIn('eu-west-1');
    america = vaultIn('us-east-1');
    dir = tempDir();
    const made = ok(cli(['kms', 'create-key', '--multi-region', '--description', 'shared'], europe)).KeyMetadata as { KeyId: string; MultiRegion: boolean };
    keyId = made.KeyId;
    expect(keyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(made.MultiRegion).toBe(true);
  });

  it('replicates a key to another vault by files: the same id and material, each vault decrypts the other’s ciphertexts, files too', () => {
    const before = encrypt(europe, 'made before the replica');
    replicate(europe, america, 'first');
    expect(configOf(europe)).toMatchObject({ MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Region: 'eu-west-1' }, ReplicaKeys: [{ Region: 'us-east-1', Arn: expect.stringContaining(`:key/${keyId}`) as string }] });
    expect(configOf(america)).toMatchObject({ MultiRegionKeyType: 'REPLICA', PrimaryKey: { Region: 'eu-west-1' } });
    expect(ok(cli(['kms', 'describe-key', '--key-id', keyId], america)).KeyMetadata).toMatchObject({ Description: 'shared', KeyState: 'Enabled' });
    expect(decrypt(america, before)).toBe('made before the replica');
    expect(decrypt(europe, encrypt(america, 'from America'))).toBe('from America');

    const plain = join(dir, 'minutes.txt');
    writeFileSync(plain, 'minutes of the board');
    ok(cli(['file', 'encrypt', plain, '--recipient', keyId], europe));
    ok(cli(['file', 'decrypt', `${plain}.enc`, '-o', join(dir, 'minutes.out')], america));
    expect(readFileSync(join(dir, 'minutes.out'), 'utf8')).toBe('minutes of the board');
  });

  it('refuses a changed bundle, a used request, a key that is not multi-Region, and a replica in the primary’s own Region', () => {
    const request = join(dir, 'again.request.json');
    const bundle = join(dir, 'again.bundle.json');
    const other = vaultIn('ap-south-1');
    ok(cli(['replica', 'request', '-o', request], other));
    ok(cli(['replica', 'export', '--key-id', keyId, '--request', request, '-o', bundle], europe));
    const changed = JSON.parse(readFileSync(bundle, 'utf8')) as { Description: string };
    writeFileSync(join(dir, 'changed.json'), JSON.stringify({ ...changed, Description: 'swapped' }));
    expect(errorOf(cli(['replica', 'import', join(dir, 'changed.json')], other))).toMatchObject({ __type: 'InvalidCiphertextException', message: expect.stringMatching(/MAC does not match/) as string });
    ok(cli(['replica', 'import', bundle], other));
    expect(errorOf(cli(['replica', 'import', bundle], other)).__type).toBe('InvalidImportTokenException');

    const single = (ok(cli(['kms', 'create-key'], europe)).KeyMetadata as { KeyId: string }).KeyId;
    const fresh = join(dir, 'fresh.request.json');
    ok(cli(['replica', 'request', '-o', fresh], america));
    expect(errorOf(cli(['replica', 'export', '--key-id', single, '--request', fresh, '-o', join(dir, 'never.json')], europe)).message).toMatch(/not a multi-Region primary key/);
    const own = join(dir, 'own.request.json');
    ok(cli(['replica', 'request', '-o', own], europe));
    expect(errorOf(cli(['replica', 'export', '--key-id', keyId, '--request', own, '-o', join(dir, 'never.json')], europe)).message).toMatch(/this vault's own/);
  });

  it('rotates on the primary only; a new bundle brings the new version to the replica; UpdatePrimaryRegion swaps the roles', () => {
    expect(errorOf(cli(['kms', 'rotate-key-on-demand', '--key-id', keyId], america))).toMatchObject({ __type: 'UnsupportedOperationException', message: expect.stringMatching(/multi-Region replica key/) as string });
    ok(cli(['kms', 'rotate-key-on-demand', '--key-id', keyId], europe));
    const rotated = encrypt(europe, 'after the rotation');
    replicate(europe, america, 'sync');
    expect(decrypt(america, rotated)).toBe('after the rotation');
    const material = (env: Record<string, string>): unknown => (ok(cli(['kms', 'describe-key', '--key-id', keyId], env)).KeyMetadata as { CurrentKeyMaterialId: string }).CurrentKeyMaterialId;
    expect(material(america)).toBe(material(europe));

    ok(cli(['kms', 'update-primary-region', '--key-id', keyId, '--primary-region', 'us-east-1'], europe));
    ok(cli(['kms', 'update-primary-region', '--key-id', keyId, '--primary-region', 'us-east-1'], america));
    expect(configOf(europe)).toMatchObject({ MultiRegionKeyType: 'REPLICA', PrimaryKey: { Region: 'us-east-1' } });
    expect(configOf(america)).toMatchObject({ MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Region: 'us-east-1' }, ReplicaKeys: expect.arrayContaining([expect.objectContaining({ Region: 'eu-west-1' })]) as unknown[] });
    ok(cli(['kms', 'rotate-key-on-demand', '--key-id', keyId], america));
    expect(errorOf(cli(['kms', 'update-primary-region', '--key-id', keyId, '--primary-region', 'sa-east-1'], america)).message).toMatch(/no replica in sa-east-1/);
    expect(cli(['audit', 'export'], europe).stdout).toMatch(/"eventName":"ReplicateKey".*"replicationRequest":"HIDDEN_DUE_TO_SECURITY_REASONS"/);
  });
});
