import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { implementedOperations } from '../../src-main/kms/operations';
import { cliName } from '../../src-shared/kms/operationNames';
import { OPERATIONS } from '../../src-shared/kms/shapes.generated';
import { BIN, cli, errorOf } from '../helpers/cli';
import { makeExternalToken } from '../helpers/softhsm';
import { startHolder, waitForLine } from '../helpers/processes';
import { tempDir } from '../helpers/temp';

const PIN = '424242';
let home: string;
let env: Record<string, string>;

beforeAll(() => {
  home = join(tempDir(), 'home');
  env = { STRONGROOM_HOME: home, STRONGROOM_PIN: PIN };
  const init = cli(['init'], env);
  expect(init.stderr).toContain('shown once and stored nowhere');
  expect(init.status).toBe(0);
});

/** `strongroom kms ARGS` on the test vault, which must succeed; its JSON output. */
function kmsOk(args: string[]): Record<string, unknown> {
  const result = cli(['kms', ...args], env);
  expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.json as Record<string, unknown>;
}

describe('strongroom CLI', () => {
  it('init creates the vault on the embedded token and prints its status and the SO PIN once', () => {
    const status = cli(['status'], { STRONGROOM_HOME: home });
    expect(status.status).toBe(0);
    expect(status.json).toMatchObject({ Home: home, Initialized: true, State: 'Locked', Region: 'local', RootOfTrust: 'aes-gcm', Token: { Embedded: true } });
    expect(status.json).not.toHaveProperty('SecurityOfficerPin');
    expect((status.json as { AccountId: string }).AccountId).toMatch(/^[1-9][0-9]{11}$/);
  });

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

  it('usage errors exit 252', () => {
    for (const args of [['bogus'], ['kms', 'create-bogus'], ['kms', 'generate-random', '--cli-input-json', '{not json'], ['kms', 'generate-random', '--cli-input-json', 'file:///nonexistent.json'], ['init', '--root-of-trust', 'dsa'], ['config', 'auto-lock', 'soon']]) {
      const result = cli(args, env);
      expect(result.status, args.join(' ')).toBe(252);
      expect(result.stderr.length, args.join(' ')).toBeGreaterThan(0);
    }
  });

  it('has --help on every command', () => {
    for (const args of [[], ['init'], ['status'], ['tokens'], ['lock'], ['change-pin'], ['config'], ['config', 'auto-lock'], ['kms'], ['kms', 'generate-random']]) {
      const result = cli([...args, '--help']);
      expect(result.status, args.join(' ')).toBe(0);
      expect(result.stdout, args.join(' ')).toMatch(/^Usage: strongroom/);
    }
    expect(cli(['kms', 'generate-random', '--help']).stdout).toContain('--number-of-bytes <value>');
    expect(cli(['--help']).stdout).toContain('STRONGROOM_PIN');
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

  it('stops quietly when its reader has gone, as `| head` does', async () => {
    const child = spawn(process.execPath, [BIN, 'kms', 'create-key', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the command has started, let alone written its help
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
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

  it('init refuses a home that already has a vault', () => {
    const result = cli(['init'], env);
    expect(result.status).toBe(254);
    expect(errorOf(result).__type).toBe('VaultAlreadyInitializedException');
  });

  it('config auto-lock shows and sets the idle time', () => {
    expect(cli(['config', 'auto-lock'], env).json).toEqual({ AutoLockSeconds: 900 });
    expect(cli(['config', 'auto-lock', '5m'], env).json).toEqual({ AutoLockSeconds: 300 });
    expect(cli(['status'], env).json).toMatchObject({ AutoLockSeconds: 300 });
    expect(cli(['config', 'auto-lock', '2d'], env).status).toBe(252);
    const tooLong = cli(['config', 'auto-lock', '25h'], env);
    expect(tooLong.status).toBe(254);
    expect(errorOf(tooLong).message).toMatch(/from 0 \(never\) to 86400/);
  });

  it('lock tells the process holding the vault to lock it', async () => {
    const holder = await startHolder(home, PIN);
    expect(cli(['status'], env).json).toMatchObject({ State: 'Unlocked', HeldByPid: holder.pid });
    const busy = cli(['kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], env);
    expect(busy.status).toBe(254);
    expect(errorOf(busy)).toEqual({ __type: 'VaultInUseException', message: expect.stringContaining(`pid ${String(holder.pid)}`) as unknown });
    const locked = waitForLine(holder, 'locked');
    const result = cli(['lock'], env);
    expect(result.status).toBe(0);
    expect(await locked).toBe('locked requested');
    expect(result.json).toMatchObject({ State: 'Locked', HeldByPid: holder.pid });
  });

  it('change-pin changes the PIN', () => {
    const other = join(tempDir(), 'other');
    expect(cli(['init', '--root-of-trust', 'rsa'], { STRONGROOM_HOME: other, STRONGROOM_PIN: PIN }).status).toBe(0);
    const changed = cli(['change-pin'], { STRONGROOM_HOME: other, STRONGROOM_PIN: PIN, STRONGROOM_NEW_PIN: '171717' });
    expect(changed.json).toEqual({ PinChanged: true });
    expect(errorOf(cli(['kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: other, STRONGROOM_PIN: PIN })).__type).toBe('IncorrectPinException');
    expect(cli(['kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: other, STRONGROOM_PIN: '171717' }).status).toBe(0);
  });

  it('tokens lists what a module offers, to choose one for init', () => {
    const token = makeExternalToken('Listed', '246810');
    const result = cli(['tokens', '--pkcs11', token.modulePath], { SOFTHSM2_CONF: token.conf });
    expect(result.status).toBe(0);
    expect(result.json).toMatchObject({ Module: token.modulePath, Tokens: expect.arrayContaining([expect.objectContaining({ Label: 'Listed', Initialized: true, PinLocked: false, MinPinLength: 4 })]) as unknown });
    expect(cli(['tokens']).status).toBe(252);
    expect(errorOf(cli(['tokens', '--pkcs11', '/nonexistent.so'])).__type).toBe('TokenModuleNotFoundException');
  });

  it('takes the PIN from piped standard input when STRONGROOM_PIN is not set', () => {
    const result = cli(['kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: home }, `${PIN}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const none = cli(['kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: home });
    expect(errorOf(none).message).toMatch(/No PIN given: set STRONGROOM_PIN/);
  });

  it('takes the PIN from --pin-file, so that standard input can carry the request', () => {
    const pinFile = join(tempDir(), 'pin');
    writeFileSync(pinFile, `${PIN}\n`, { mode: 0o600 });
    const result = cli(['--pin-file', pinFile, 'kms', 'generate-random', '--cli-input-json', '-'], { STRONGROOM_HOME: home }, '{"NumberOfBytes":4}');
    expect(result.stderr).toBe('');
    expect(Buffer.from((result.json as { Plaintext: string }).Plaintext, 'base64')).toHaveLength(4);
    // The file wins over the environment.
    expect(cli(['--pin-file', pinFile, 'kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { ...env, STRONGROOM_PIN: '000000' }).status).toBe(0);

    chmodSync(pinFile, 0o644);
    const shared = errorOf(cli(['--pin-file', pinFile, 'kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: home }));
    expect(shared).toMatchObject({ __type: 'ValidationException', message: expect.stringContaining('chmod 600') as unknown });
    const missing = errorOf(cli(['--pin-file', `${pinFile}.none`, 'kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: home }));
    expect(missing.message).toMatch(/^Cannot read the PIN file .*pin\.none \(ENOENT\)\.$/);
    const empty = join(tempDir(), 'empty');
    writeFileSync(empty, '\n', { mode: 0o600 });
    expect(errorOf(cli(['--pin-file', empty, 'kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: home })).message).toMatch(/is empty/);
    const directory = cli(['--pin-file', tempDir(), 'kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: home });
    expect(directory.status).toBe(254);
    expect(errorOf(directory)).toMatchObject({ __type: 'ValidationException', message: expect.stringContaining('is a directory') as unknown });
  });

  it('takes a relative --home from the directory it runs in, and stores it absolute', () => {
    const dir = tempDir();
    const run = (cwd: string, args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, STRONGROOM_PIN: PIN }, encoding: 'utf8' });
    expect(run(dir, ['--home', 'rel', 'init']).status).toBe(0);
    const status = run(join(dir, '..'), ['--home', join(basename(dir), 'rel'), 'status']);
    expect(JSON.parse(status.stdout)).toMatchObject({ Home: join(dir, 'rel'), Initialized: true });
    // The embedded token's configuration names its directory absolutely, so the vault opens from anywhere.
    expect(run(tmpdir(), ['--home', join(dir, 'rel'), 'kms', 'list-keys']).status).toBe(0);
  });

  it('is not killed by a lock request that arrives after a command has closed the vault', () => {
    // What "strongroom lock" sends to the process it finds holding the vault: it must lock, not end it (SIGUSR2's default).
    const script = `require('./src-main/cli/withVault.ts').withVault(process.argv[1], () => 1).then(() => {
      process.kill(process.pid, 'SIGUSR2');
      setTimeout(() => console.log('alive'), 200);
    });`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script, home], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
    expect(run.signal).toBeNull();
    expect(run.stdout.trim()).toBe('alive');
  });

  it('change-pin takes the new PIN from --new-pin-file', () => {
    const other = join(tempDir(), 'other');
    const dir = tempDir();
    const [oldFile, newFile] = [join(dir, 'old'), join(dir, 'new')];
    writeFileSync(oldFile, PIN, { mode: 0o600 });
    writeFileSync(newFile, '959595\r\n', { mode: 0o600 });
    expect(cli(['--pin-file', oldFile, 'init'], { STRONGROOM_HOME: other }).status).toBe(0);
    expect(cli(['--pin-file', oldFile, 'change-pin', '--new-pin-file', newFile], { STRONGROOM_HOME: other }).json).toEqual({ PinChanged: true });
    expect(cli(['--pin-file', newFile, 'kms', 'generate-random', '--cli-input-json', '{"NumberOfBytes":4}'], { STRONGROOM_HOME: other }).status).toBe(0);
  });
});
