import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliAsync, errorOf, initCliVault } from '../helpers/cli';
import { startHost, type Api } from '../helpers/hostApi';
import { PIN } from '../helpers/vault';

/**
 * The same decisions at every door: the command line (opening the vault
 * itself, or through the browser host that holds it) acting with an access
 * key, and the browser host's interface signed in as a user. Each is refused
 * what no policy or grant allows, and lets the same call through with a
 * grant token.
 */
describe('every door, driven as an IAM user', () => {
  let home: string;
  let root: Record<string, string>;
  let keyId: string;
  let ana: { AccessKeyId: string; SecretAccessKey: string };
  let anaArn: string;
  let asAna: Record<string, string>;
  let encrypt: string[];
  let host: ChildProcess | undefined;
  beforeAll(() => {
    ({ home, env: root } = initCliVault(PIN));
    keyId = cli(['kms', 'create-key', '--query', 'KeyMetadata.KeyId', '--output', 'text'], root).stdout.trim();
    anaArn = (cli(['iam', 'create-user', '--user-name', 'ana'], root).json as { User: { Arn: string } }).User.Arn;
    ana = (cli(['iam', 'create-access-key', '--user-name', 'ana'], root).json as { AccessKey: typeof ana }).AccessKey;
    encrypt = ['kms', 'encrypt', '--key-id', keyId, '--plaintext', 'aGVsbG8='];
    asAna = { ...root, AWS_ACCESS_KEY_ID: ana.AccessKeyId, AWS_SECRET_ACCESS_KEY: ana.SecretAccessKey };
  });
  afterEach(() => {
    host?.kill('SIGTERM');
    host = undefined;
  });
  /** A grant token that lets ana encrypt and decrypt with `key` (from then on, with or without the token). */
  const grantToken = async (key = keyId): Promise<string> =>
    ((await cliAsync(['kms', 'create-grant', '--key-id', key, '--grantee-principal', anaArn, '--operations', 'Encrypt', 'Decrypt'], root)).json as { GrantToken: string }).GrantToken;

  it('the command line with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: refused without permission, allowed with a grant token; a wrong, unknown or inactive key is refused', async () => {
    const denied = cli(encrypt, asAna);
    expect(denied.status).toBe(254);
    expect(errorOf(denied)).toEqual({ __type: 'AccessDeniedException', message: expect.stringMatching(new RegExp(`^User: ${anaArn} is not authorized to perform: kms:Encrypt on resource: arn:aws:kms:.*key/${keyId} because no policy or grant allows it`)) as string });
    const allowed = cli([...encrypt, '--grant-tokens', await grantToken()], asAna);
    expect(allowed.status).toBe(0);
    expect((allowed.json as { KeyId: string }).KeyId).toContain(keyId);
    expect(errorOf(cli(['iam', 'get-user'], asAna)).__type).toBe('AccessDeniedException');

    expect(errorOf(cli(encrypt, { ...asAna, AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) })).__type).toBe('InvalidSignatureException');
    expect(errorOf(cli(encrypt, { ...asAna, AWS_ACCESS_KEY_ID: 'AKIAAAAAAAAAAAAAAAAA' })).__type).toBe('UnrecognizedClientException');
    expect(cli(encrypt, { ...root, AWS_ACCESS_KEY_ID: ana.AccessKeyId }).stderr).toMatch(/both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    expect(cli(['iam', 'update-access-key', '--user-name', 'ana', '--access-key-id', ana.AccessKeyId, '--status', 'Inactive'], root).status).toBe(0);
    expect(errorOf(cli([...encrypt, '--grant-tokens', await grantToken()], asAna))).toMatchObject({ __type: 'UnrecognizedClientException', message: expect.stringMatching(/is Inactive/) as string });
    expect(cli(['iam', 'update-access-key', '--user-name', 'ana', '--access-key-id', ana.AccessKeyId, '--status', 'Active'], root).status).toBe(0);

    const exported = cli(['audit', 'export'], root).stdout;
    expect(exported).toMatch(new RegExp(`"userIdentity":\\{"type":"IAMUser","principalId":"AIDA\\w+","arn":"${anaArn}","accountId":"\\d+","accessKeyId":"${ana.AccessKeyId}","userName":"ana"\\}`));
  });

  it('the command line through the browser host that holds the vault, and the host’s interface signed in as the user', async () => {
    const started = await startHost(home);
    host = started.child;
    const api: Api = started.api;
    expect(await api('vault:unlock', { pin: PIN })).toMatchObject({ ok: true, value: { ActingAs: { Principal: expect.stringMatching(/:root$/) as string } } });

    // Each part on a key of its own: a grant, once made, allows without its token.
    const newKey = async (): Promise<string> => ((await api('kms:call', { operation: 'CreateKey', input: {} })).value as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
    const forCli = await newKey();
    const forHost = await newKey();
    const encryptForCli = ['kms', 'encrypt', '--key-id', forCli, '--plaintext', 'aGVsbG8='];
    const noPin = { STRONGROOM_HOME: home, AWS_ACCESS_KEY_ID: ana.AccessKeyId, AWS_SECRET_ACCESS_KEY: ana.SecretAccessKey };
    expect(errorOf(await cliAsync(encryptForCli, noPin)).__type).toBe('AccessDeniedException');
    const viaHost = await cliAsync([...encryptForCli, '--grant-tokens', await grantToken(forCli)], noPin);
    expect(viaHost.status).toBe(0);
    expect(errorOf(await cliAsync(encryptForCli, { ...noPin, AWS_SECRET_ACCESS_KEY: 'y'.repeat(40) })).__type).toBe('InvalidSignatureException');

    expect(await api('session:actAs', { accessKeyId: ana.AccessKeyId, secretAccessKey: 'z'.repeat(40) })).toMatchObject({ ok: false, error: { __type: 'InvalidSignatureException' } });
    expect(await api('session:actAs', { accessKeyId: ana.AccessKeyId, secretAccessKey: ana.SecretAccessKey })).toMatchObject({ ok: true, value: { ActingAs: { Principal: anaArn, AccessKeyId: ana.AccessKeyId, Door: 'host' } } });
    const input = { KeyId: forHost, Plaintext: 'aGVsbG8=' };
    expect(await api('kms:call', { operation: 'Encrypt', input })).toMatchObject({ ok: false, error: { __type: 'AccessDeniedException', message: expect.stringContaining(`User: ${anaArn} is not authorized to perform: kms:Encrypt`) as string } });
    expect(await api('kms:call', { operation: 'Encrypt', input: { ...input, GrantTokens: [await grantToken(forHost)] } })).toMatchObject({ ok: true, value: { KeyId: expect.stringContaining(forHost) as string } });
    expect(await api('iam:call', { operation: 'CreateUser', input: { UserName: 'mallory' } })).toMatchObject({ ok: false, error: { __type: 'AccessDeniedException' } });
    expect(await api('vault:setAutoLock', { seconds: 0 })).toMatchObject({ ok: false, error: { __type: 'AccessDeniedException' } });

    // Locking ends the user's session; the PIN unlocks as the account root again.
    await api('vault:lock', {});
    expect(await api('vault:unlock', { pin: PIN })).toMatchObject({ ok: true, value: { ActingAs: { Principal: expect.stringMatching(/:root$/) as string } } });
    expect((await api('vault:status', {})).value).not.toHaveProperty('ActingAs.AccessKeyId');
  });
});
