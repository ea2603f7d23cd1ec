// `strongroom kms`: requests from options, files and standard input, output as the AWS CLI prints it, paging, and errors.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { implementedOperations } from '../../src-main/kms/operations';
import { cliName } from '../../src-shared/kms/operationNames';
import { OPERATIONS } from '../../src-shared/kms/shapes.generated';
import { cli, errorOf, initCliVault } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

import { PIN } from '../helpers/vault';
let home: string;
let env: Record<string, string>;

beforeAll(() => {
  ({ home, env } = initCliVault(PIN));
});

/** `strongroom kms ARGS` on the test vault, which must succeed; its JSON output. */
function kmsOk(args: string[]): Record<string, unknown> {
  const result = cli(['kms', ...args], env);
  expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.json as Record<string, unknown>;
}

describe('strongroom kms', () => {
  it('kms generate-random prints NumberOfBytes random bytes as base64, in the AWS response shape', () => {
    const result = cli(['kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":32}'], env);
    expect(result.status).toBe(0);
    const response = OPERATIONS.GenerateRandom.output.parse(result.json);
    expect(Buffer.from(response.Plaintext ?? '', 'base64')).toHaveLength(32);
    const again = cli(['kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":32}'], env);
    expect(again.json).not.toEqual(result.json);
  });

  it('reads the request from file:// and from standard input', () => {
    const file = join(tempDir(), 'req.json');
    writeFileSync(file, '{"NumberOfBytes": 1024}');
    const fromFile = cli(['kms', 'generate-random', '--cli-input-json', `file://${file}`], env);
    expect(Buffer.from((fromFile.json as { Plaintext: string }).Plaintext, 'base64')).toHaveLength(1024);
    const fromStdin = cli(['kms', 'generate-random', '--cli-input-json', '-'], env, '{"NumberOfBytes": 7}');
    expect(Buffer.from((fromStdin.json as { Plaintext: string }).Plaintext, 'base64')).toHaveLength(7);
  });

  it('service errors print {"__type","message"} on stderr and exit 254', () => {
    const cases: [string, Record<string, string>, string][] = [
      ['{"NumberOfBytes":0}', env, 'ValidationException'],
      ['{"NumberOfBytes":1025}', env, 'ValidationException'],
      ['{}', env, 'ValidationException'],
      ['{"NumberOfBytes":8,"CustomKeyStoreId":"cks-1234567890abcdef0"}', env, 'CustomKeyStoreNotFoundException'],
      ['{"NumberOfBytes":8}', { ...env, STRONGROOM_PIN: '000000' }, 'IncorrectPinException'],
      ['{"NumberOfBytes":8}', { ...env, STRONGROOM_HOME: join(tempDir(), 'none') }, 'VaultNotInitializedException'],
    ];
    for (const [json, caseEnv, type] of cases) {
      const result = cli(['kms', 'generate-random', '--cli-input-json', json], caseEnv);
      expect(result.status, json).toBe(254);
      expect(result.stdout, json).toBe('');
      expect(errorOf(result).__type, json).toBe(type);
      expect(result.stderr).not.toContain(PIN);
    }
    expect(errorOf(cli(['kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":0}'], env)).message).toMatch(/Value at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1/);
  });

  it('does not repeat a request that is not JSON, which may hold a secret', () => {
    const result = cli(['kms', 'encrypt', '--cli-input-json', '{"KeyId":"k","Plaintext":c2VjcmV0IHRleHQ}'], env);
    expect(result.status).toBe(252);
    expect(result.stderr).toContain('not valid JSON');
    expect(result.stderr).not.toContain('c2VjcmV0');
  });

  it('prints what --query selects, as JSON or as --output text, as the AWS CLI does', () => {
    const dir = tempDir();
    const keyId = cli(['kms', 'create-key', '--query', 'KeyMetadata.KeyId', '--output', 'text'], env).stdout.trim();
    expect(keyId).toMatch(/^[0-9a-f-]{36}$/);
    writeFileSync(join(dir, 'note.txt'), 'for your eyes only');
    const blob = cli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', `fileb://${join(dir, 'note.txt')}`, '--query', 'CiphertextBlob', '--output', 'text'], env);
    writeFileSync(join(dir, 'note.kms'), Buffer.from(blob.stdout.trim(), 'base64'));
    const plaintext = cli(['kms', 'decrypt', '--ciphertext-blob', `fileb://${join(dir, 'note.kms')}`, '--query', 'Plaintext', '--output', 'text'], env);
    expect(Buffer.from(plaintext.stdout.trim(), 'base64').toString()).toBe('for your eyes only');

    // Text: an object of values on one line, in the order of their names; true and null as Python spells them.
    const described = cli(['kms', 'describe-key', '--key-id', keyId, '--query', 'KeyMetadata.{State: KeyState, Enabled: Enabled, Date: DeletionDate}', '--output', 'text'], env);
    expect(described.stdout).toBe('None\tTrue\tEnabled\n');
    expect(cli(['kms', 'describe-key', '--key-id', keyId, '--query', 'KeyMetadata.KeyState'], env).stdout).toBe('"Enabled"\n');
    // Timestamps in ISO 8601, in the local time zone, as AWS CLI v2 prints them.
    const created = cli(['kms', 'describe-key', '--key-id', keyId, '--query', 'KeyMetadata.CreationDate', '--output', 'text'], { ...env, TZ: 'Asia/Kolkata' }).stdout.trim();
    expect(created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+05:30$/);
    expect(Math.abs(Date.parse(created) - Date.now())).toBeLessThan(10 * 60_000);
    expect(cli(['kms', 'list-resource-tags', '--key-id', keyId, '--query', 'Tags'], env).json).toEqual([]);

    // A query that is not JMESPath is refused before the call runs; text that cannot be one line asks for a query.
    const keys = () => (cli(['kms', 'list-keys', '--limit', '1000'], env).json as { Keys: unknown[] }).Keys.length;
    const before = keys();
    const bad = cli(['kms', 'create-key', '--query', 'KeyMetadata.['], env);
    expect(bad.status).toBe(252);
    expect(bad.stderr).toContain('Bad value for --query');
    expect(keys()).toBe(before);

    // Text of nested values: each object's values on a line headed by its name, and each list or object under it on lines of its own.
    const text = cli(['kms', 'describe-key', '--key-id', keyId, '--output', 'text'], env).stdout.split('\n');
    expect(text[0]).toMatch(new RegExp(`^KEYMETADATA\t.*\t${keyId}\t`));
    expect(text).toContain('ENCRYPTIONALGORITHMS\tSYMMETRIC_DEFAULT');
    expect(cli(['kms', 'list-aliases', '--key-id', keyId, '--output', 'text'], env).stdout).toBe('');

    // A query that fails on the response, after the call has run: nothing on standard output (it might be a plaintext), and the command fails.
    const failed = cli(['kms', 'generate-data-key', '--key-id', keyId, '--key-spec', 'AES_256', '--query', 'abs(KeyId)'], env);
    expect(failed.status).toBe(255);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('the call succeeded, but --query abs(KeyId) failed');

    // The AWS CLI's JMESPath takes the old literal form of a string, `text`, which AWS's examples use.
    cli(['kms', 'create-alias', '--alias-name', 'alias/query-test', '--target-key-id', keyId], env);
    const picked = cli(['kms', 'list-aliases', '--query', 'Aliases[?AliasName==`alias/query-test`].TargetKeyId', '--output', 'text'], env);
    expect(picked.stdout).toBe(`${keyId}\n`);
  });

  it('fetches every page of a list, or --max-items at a time with a NextToken to go on from, as the AWS CLI does', () => {
    for (let i = 0; i < 5; i += 1) expect(cli(['kms', 'create-key', '--description', `page ${String(i)}`], env).status).toBe(0);
    const ids = (args: string[]) => kmsOk(['list-keys', ...args]) as { Keys: { KeyId: string }[]; NextToken?: string; NextMarker?: string; Truncated?: boolean };
    const all = ids([]);
    expect(all).not.toHaveProperty('Truncated');
    expect(all.Keys.length).toBeGreaterThanOrEqual(5);
    expect(ids(['--page-size', '2']).Keys).toEqual(all.Keys);

    // Three at a time, two per call: the tokens go on mid-page and between pages, and end with the last key.
    const walked: { KeyId: string }[] = [];
    let token: string | undefined;
    do {
      const page = ids(['--max-items', '3', '--page-size', '2', ...(token === undefined ? [] : ['--starting-token', token])]);
      expect(page.Keys.length).toBeLessThanOrEqual(3);
      walked.push(...page.Keys);
      token = page.NextToken;
    } while (token !== undefined);
    expect(walked).toEqual(all.Keys);

    // A request that gives its own Limit or Marker, or --no-paginate, is one call, printed as it comes.
    const one = ids(['--limit', '2']);
    expect(one).toMatchObject({ Truncated: true, Keys: all.Keys.slice(0, 2) });
    expect(ids(['--marker', String(one.NextMarker), '--limit', '1']).Keys).toEqual(all.Keys.slice(2, 3));
    expect(ids(['--no-paginate']).Truncated).toBe(all.Keys.length > 100);
    // In text, the token comes last, on a line of its own, as the AWS CLI prints it.
    const text = cli(['kms', 'list-keys', '--max-items', '2', '--output', 'text'], env).stdout.trimEnd().split('\n');
    expect(text.slice(0, 2).map((line) => line.split('\t')[0])).toEqual(['KEYS', 'KEYS']);
    expect(text[2]).toBe(`NEXTTOKEN\t${String(ids(['--max-items', '2']).NextToken)}`);
    expect(text).toHaveLength(3);
    for (const args of [['--limit', '2', '--max-items', '3'], ['--no-paginate', '--page-size', '2'], ['--starting-token', 'not-a-token'], ['--max-items', '0']]) {
      expect(cli(['kms', 'list-keys', ...args], env).status, args.join(' ')).toBe(252);
    }
  });

  it('runs the KMS operations by their AWS CLI names, in their JSON shapes', () => {
    const kms = (op: string, request: unknown) => kmsOk([op, '--cli-input-json', JSON.stringify(request)]);
    const keyId = (kms('create-key', { Description: 'from the CLI' }).KeyMetadata as { KeyId: string }).KeyId;
    kms('create-alias', { AliasName: 'alias/cli-test', TargetKeyId: keyId });
    const { CiphertextBlob } = kms('encrypt', { KeyId: 'alias/cli-test', Plaintext: Buffer.from('via the CLI').toString('base64'), EncryptionContext: { k: 'v' } }) as { CiphertextBlob: string };
    expect(Buffer.from(String(kms('decrypt', { CiphertextBlob, EncryptionContext: { k: 'v' } }).Plaintext), 'base64').toString()).toBe('via the CLI');
    expect(kms('list-aliases', { KeyId: keyId }).Aliases).toEqual([expect.objectContaining({ AliasName: 'alias/cli-test', TargetKeyId: keyId })]);
    kms('rotate-key-on-demand', { KeyId: keyId });
    expect(kms('list-key-rotations', { KeyId: keyId }).Rotations).toHaveLength(1);
    expect(kms('schedule-key-deletion', { KeyId: keyId, PendingWindowInDays: 7 })).toMatchObject({ KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(kms('cancel-key-deletion', { KeyId: keyId }).KeyId).toContain(keyId);
    for (const op of implementedOperations()) expect(cli(['kms', cliName(op), '--help']).status, op).toBe(0);
  });

  it('takes each request member as an AWS CLI option, over --cli-input-json, with shorthand, fileb:// and file://', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'description.txt'), 'from a file');
    const created = kmsOk(['create-key', '--description', `file://${join(dir, 'description.txt')}`, '--tags', 'TagKey=team,TagValue=hr', '{"TagKey":"env","TagValue":"prod"}']);
    const keyId = (created.KeyMetadata as { KeyId: string; Description: string }).KeyId;
    expect(created.KeyMetadata).toMatchObject({ Description: 'from a file' });
    expect(kmsOk(['list-resource-tags', '--key-id', keyId]).Tags).toEqual([
      { TagKey: 'env', TagValue: 'prod' },
      { TagKey: 'team', TagValue: 'hr' },
    ]);

    const secret = Buffer.from([0, 1, 2, 255, 10, 13]);
    writeFileSync(join(dir, 'secret.bin'), secret);
    const sealed = kmsOk(['encrypt', '--key-id', keyId, '--plaintext', `fileb://${join(dir, 'secret.bin')}`, '--encryption-context', 'dept=hr,case=a=b']);
    writeFileSync(join(dir, 'blob.bin'), Buffer.from(String(sealed.CiphertextBlob), 'base64'));
    const opened = kmsOk(['decrypt', '--ciphertext-blob', `fileb://${join(dir, 'blob.bin')}`, '--encryption-context', '{"dept":"hr","case":"a=b"}']);
    expect(Buffer.from(String(opened.Plaintext), 'base64').equals(secret)).toBe(true);

    // An option overrides the member of the same name in --cli-input-json; the others stay.
    const random = kmsOk(['generate-random', '--cli-input-json', '{"NumberOfBytes":32}', '--number-of-bytes', '5']);
    expect(Buffer.from(String(random.Plaintext), 'base64')).toHaveLength(5);
    const dataKey = kmsOk(['generate-data-key', '--cli-input-json', JSON.stringify({ KeyId: 'alias/none', KeySpec: 'AES_128' }), '--key-id', keyId]);
    expect(Buffer.from(String(dataKey.Plaintext), 'base64')).toHaveLength(16);

    const dryRun = cli(['kms', 'generate-data-key', '--key-id', keyId, '--number-of-bytes', '16', '--dry-run'], env);
    expect(errorOf(dryRun).__type).toBe('DryRunOperationException');
    expect(cli(['kms', 'generate-data-key', '--key-id', keyId, '--number-of-bytes', '16', '--no-dry-run'], env).status).toBe(0);

    // Any option takes file://; shorthand names and values are trimmed.
    writeFileSync(join(dir, 'context.json'), '{"dept":"hr"}');
    writeFileSync(join(dir, 'tags.json'), '[{"TagKey":"from","TagValue":"file"}]');
    const spaced = kmsOk(['encrypt', '--key-id', keyId, '--plaintext', 'aGk=', '--encryption-context', ' dept = hr ']);
    const fromFile = kmsOk(['decrypt', '--ciphertext-blob', String(spaced.CiphertextBlob), '--encryption-context', `file://${join(dir, 'context.json')}`]);
    expect(fromFile.Plaintext).toBe('aGk=');
    kmsOk(['tag-resource', '--key-id', keyId, '--tags', `file://${join(dir, 'tags.json')}`]);
    expect(kmsOk(['list-resource-tags', '--key-id', keyId]).Tags).toContainEqual({ TagKey: 'from', TagValue: 'file' });

    for (const args of [
      ['generate-random', '--number-of-bytes', 'many'],
      ['generate-random', '--number-of-bytes', '0x10'],
      ['generate-random', '--number-of-bytes', '1e1'],
      ['encrypt', '--key-id', keyId, '--plaintext', 'aGk=', '--encryption-context', 'dept="hr"'],
      ['generate-data-key', '--key-id', keyId, '--key-spec', 'AES_999'],
      ['encrypt', '--key-id', keyId, '--plaintext', `fileb://${join(dir, 'missing.bin')}`],
      ['encrypt', '--key-id', keyId, '--plaintext', 'aGk=', '--encryption-context', 'no-equals-sign'],
      ['generate-random', '--cli-input-json', '[1]', '--number-of-bytes', '5'],
    ]) {
      const result = cli(['kms', ...args], env);
      expect(result.status, args.join(' ')).toBe(252);
    }
  });

  it('reads blobs and files as the AWS CLI does: wrapped base64, raw text on request, ~ and $VARS in paths', () => {
    const dir = tempDir();
    const keyId = (kmsOk(['create-key']).KeyMetadata as { KeyId: string }).KeyId;
    const long = Buffer.alloc(100, 'the quick brown fox ');
    const wrapped = long.toString('base64').replace(/.{76}/g, '$&\n');
    expect(wrapped).toContain('\n');
    const sealed = String(kmsOk(['encrypt', '--key-id', keyId, '--plaintext', wrapped]).CiphertextBlob);
    writeFileSync(join(dir, 'blob.b64'), `${sealed.replace(/.{76}/g, '$&\n')}\n`);
    const opened = cli(['kms', 'decrypt', '--ciphertext-blob', 'file://${BLOBS}/blob.b64'], { ...env, BLOBS: dir });
    expect((opened.json as { Plaintext?: string } | undefined)?.Plaintext, opened.stderr).toBe(long.toString('base64'));

    // raw-in-base64-out: a blob given as text is that text's bytes, in options and in --cli-input-json; fileb:// stays raw.
    const raw = kmsOk(['encrypt', '--key-id', keyId, '--plaintext', 'hello world', '--cli-binary-format', 'raw-in-base64-out', '--no-cli-pager']);
    expect(kmsOk(['decrypt', '--ciphertext-blob', String(raw.CiphertextBlob)]).Plaintext).toBe(Buffer.from('hello world').toString('base64'));
    writeFileSync(join(dir, 'request.json'), JSON.stringify({ KeyId: keyId, Plaintext: 'from json' }));
    const fromJson = cli(['kms', 'encrypt', '--cli-input-json', 'file://~/request.json', '--cli-binary-format', 'raw-in-base64-out'], { ...env, HOME: dir });
    expect(fromJson.status, fromJson.stderr).toBe(0);
    expect(kmsOk(['decrypt', '--ciphertext-blob', (fromJson.json as { CiphertextBlob: string }).CiphertextBlob]).Plaintext).toBe(Buffer.from('from json').toString('base64'));
    writeFileSync(join(dir, 'raw.bin'), Buffer.from([0xff, 0]));
    const fromFile = cli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', 'fileb://$BLOBS/raw.bin', '--cli-binary-format', 'raw-in-base64-out'], { ...env, BLOBS: dir });
    expect(kmsOk(['decrypt', '--ciphertext-blob', (fromFile.json as { CiphertextBlob: string }).CiphertextBlob]).Plaintext).toBe('/wA=');
  });

  it('signs a file with an asymmetric key as the AWS CLI would, for openssl to verify with the public key it gets', () => {
    const dir = tempDir();
    const keyId = (kmsOk(['create-key', '--key-spec', 'ECC_NIST_P256', '--key-usage', 'SIGN_VERIFY']).KeyMetadata as { KeyId: string }).KeyId;
    writeFileSync(join(dir, 'release.tar'), 'the release, byte for byte');
    const signature = cli(['kms', 'sign', '--key-id', keyId, '--message', `fileb://${join(dir, 'release.tar')}`, '--signing-algorithm', 'ECDSA_SHA_256', '--query', 'Signature', '--output', 'text'], env);
    expect(signature.status, signature.stderr).toBe(0);
    writeFileSync(join(dir, 'release.sig'), Buffer.from(signature.stdout.trim(), 'base64'));
    const publicKey = cli(['kms', 'get-public-key', '--key-id', keyId, '--query', 'PublicKey', '--output', 'text'], env);
    writeFileSync(join(dir, 'key.der'), Buffer.from(publicKey.stdout.trim(), 'base64'));
    execFileSync('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', join(dir, 'key.der'), '-out', join(dir, 'key.pem')]);
    expect(execFileSync('openssl', ['dgst', '-sha256', '-verify', join(dir, 'key.pem'), '-signature', join(dir, 'release.sig'), join(dir, 'release.tar')]).toString()).toContain('Verified OK');
    const verified = kmsOk(['verify', '--key-id', keyId, '--message', `fileb://${join(dir, 'release.tar')}`, '--signature', `fileb://${join(dir, 'release.sig')}`, '--signing-algorithm', 'ECDSA_SHA_256']);
    expect(verified.SignatureValid).toBe(true);
    writeFileSync(join(dir, 'release.tar'), 'the release, changed');
    const refused = cli(['kms', 'verify', '--key-id', keyId, '--message', `fileb://${join(dir, 'release.tar')}`, '--signature', `fileb://${join(dir, 'release.sig')}`, '--signing-algorithm', 'ECDSA_SHA_256'], env);
    expect(refused.status).toBe(254);
    expect(errorOf(refused).__type).toBe('KMSInvalidSignatureException');
  });

  it('refuses a request without a required member, or with one the operation lacks, before it asks for the PIN', () => {
    const noPin = { STRONGROOM_HOME: home };
    const missing = cli(['kms', 'describe-key'], noPin);
    expect(missing.status).toBe(252);
    expect(missing.stderr).toContain('the following arguments are required: --key-id');
    const both = cli(['kms', 'encrypt'], noPin);
    expect(both.stderr).toContain('required: --key-id, --plaintext');
    const unknown = cli(['kms', 'describe-key', '--cli-input-json', '{"KeyId":"alias/x","Keyid":"y"}'], noPin);
    expect(unknown.status).toBe(252);
    expect(unknown.stderr).toContain('Unknown parameter in input: "Keyid", must be one of: KeyId, GrantTokens');
    // Given in the JSON, a required member needs no option.
    expect(errorOf(cli(['kms', 'describe-key', '--cli-input-json', '{"KeyId":"alias/none"}'], env)).__type).toBe('NotFoundException');
  });

});
