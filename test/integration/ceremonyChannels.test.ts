// The ceremonies as the interface runs them, through the core the Electron
// IPC and the browser host both reach: moving to another token, replica keys
// through files, key material wrapped for a cloud KMS, and a restore; each
// with its transcript, which holds the steps confirmed on the screen.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppCore } from '../../src-main/ipc/appCore';
import type { Reply } from '../../src-shared/ipc/channels';
import type { VaultStatus } from '../../src-shared/vault';
import { tokenDirectory, tokenUri } from '../helpers/softhsm';
import { tempDir } from '../helpers/temp';
import { makeVault, PIN } from '../helpers/vault';

const NEW_PIN = '135791113';
const PARTICIPANTS = [{ Name: 'Olu', Role: 'officer' }, { Name: 'Wen', Role: 'witness' }];

let cores: AppCore[] = [];
let dir = '';
let tokens: ReturnType<typeof tokenDirectory>;
beforeEach(() => {
  dir = tempDir();
  tokens = tokenDirectory();
  process.env.SOFTHSM2_CONF = tokens.conf;
});
afterEach(() => {
  for (const core of cores) core.close();
  cores = [];
});

function value(reply: Reply): Record<string, unknown> {
  if (!reply.ok) throw new Error(`${reply.error.__type}: ${reply.error.message}`);
  return reply.value as Record<string, unknown>;
}

const statusOf = (reply: Reply): VaultStatus => value(reply) as unknown as VaultStatus;

function failure(reply: Reply): string {
  return reply.ok ? 'no error' : `${reply.error.__type}: ${reply.error.message}`;
}

/** Tokens of the directory, whose PIN is PIN; made before any vault opens (SoftHSM2 reads the directory when it starts). */
function addTokens(...labels: string[]): void {
  for (const label of labels) tokens.addToken(label, PIN);
}

/** A vault on a token of the directory, held and unlocked by an interface's core. */
function coreOnToken(label: string, region?: string): AppCore {
  const made = makeVault({ pkcs11: tokenUri(label), ...(region === undefined ? {} : { region }) });
  made.vault.close();
  const core = new AppCore(made.home, 'app');
  cores.push(core);
  expect(statusOf(core.handle('vault:unlock', { pin: PIN })).State).toBe('Unlocked');
  return core;
}

const kms = (core: AppCore, operation: string, input: unknown): Record<string, unknown> => value(core.handle('kms:call', { operation, input }));
const keyIdOf = (made: Record<string, unknown>): string => (made.KeyMetadata as { KeyId: string }).KeyId;

/** A record as the screen sends it: who takes part, where the transcript goes, and one step confirmed before the ceremony's own. */
function record(name: string, confirmed: string): { participants: typeof PARTICIPANTS; transcript: string; steps: { At: string; Step: string }[] } {
  return { participants: PARTICIPANTS, transcript: join(dir, name), steps: [{ At: new Date().toISOString(), Step: confirmed }] };
}

/** The steps a written transcript holds, in order. */
function stepsOf(base: string): string[] {
  const signed = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { Transcript: string };
  return (JSON.parse(signed.Transcript) as { Steps: { Step: string }[] }).Steps.map((s) => s.Step);
}

describe('moving to another token from the interface', () => {
  it('checks the current PIN, moves the root key to token B with rsa, and leaves the vault unlocked there: what it encrypted decrypts; the transcript holds the steps confirmed', async () => {
    addTokens('A');
    tokens.addToken('B', NEW_PIN);
    const core = coreOnToken('A');
    const keyId = keyIdOf(kms(core, 'CreateKey', {}));
    const blob = String(kms(core, 'Encrypt', { KeyId: keyId, Plaintext: Buffer.from('payroll').toString('base64') }).CiphertextBlob);
    const request = { pkcs11: tokenUri('B'), pin: NEW_PIN, rootOfTrust: 'rsa' as const };

    expect(failure(await core.handleAsync('vault:rewrap', { ...request, currentPin: 'not the PIN' }))).toMatch(/^IncorrectPinException/);
    expect(statusOf(core.handle('vault:status', {})).Token?.Label).toBe('A');
    value(core.handle('vault:unlock', { pin: PIN }));

    const moved = value(await core.handleAsync('vault:rewrap', { ...request, currentPin: PIN, record: record('rewrap', 'Token B is in the reader, its PIN known to Olu alone.') })) as { status: VaultStatus; OldTokenObjects: { Labels: string[] } };
    expect(moved.status).toMatchObject({ State: 'Unlocked', Token: { Label: 'B' }, RootOfTrust: expect.stringMatching(/^rsa-oaep-/) as string });
    expect(moved.OldTokenObjects.Labels).toEqual(expect.arrayContaining([expect.stringMatching(/^strongroom root /)]));
    expect(kms(core, 'Decrypt', { CiphertextBlob: blob }).Plaintext).toBe(Buffer.from('payroll').toString('base64'));
    expect(stepsOf(join(dir, 'rewrap'))).toEqual(['Token B is in the reader, its PIN known to Olu alone.', expect.stringMatching(/^Move the root key of vault .* from token "A" to the token of pkcs11:token=B.* \(rsa\)/) as string]);
    expect(value(core.handle('audit:verify', {})).Valid).toBe(true);

    value(core.handle('vault:lock', {}));
    expect(failure(core.handle('vault:unlock', { pin: PIN }))).toMatch(/^IncorrectPinException/);
    expect(statusOf(core.handle('vault:unlock', { pin: NEW_PIN })).State).toBe('Unlocked');
  });
  it('with the token gone, moves the root key to token B with two shares of the recovery split, from the locked vault', async () => {
    addTokens('A', 'B');
    let core = coreOnToken('A');
    const custodians = [{ name: 'ana', passphrase: 'ana keeps the blue notebook' }, { name: 'bo', passphrase: 'bo keeps the red notebook' }];
    value(await core.handleAsync('recovery:split', { threshold: 2, custodians, outDir: dir, print: false }));
    const blob = String(kms(core, 'Encrypt', { KeyId: keyIdOf(kms(core, 'CreateKey', {})), Plaintext: 'AAEC' }).CiphertextBlob);
    const { home } = core;
    core.close();
    cores = [];
    execFileSync('softhsm2-util', ['--delete-token', '--token', 'A'], { env: { ...process.env, SOFTHSM2_CONF: tokens.conf }, stdio: 'pipe' });

    core = new AppCore(home, 'app');
    cores.push(core);
    expect(failure(core.handle('vault:unlock', { pin: PIN }))).toMatch(/^TokenNotFoundException/);
    const request = { pkcs11: tokenUri('B'), pin: PIN, rootOfTrust: 'aes' as const };
    expect(failure(await core.handleAsync('vault:rewrap', request))).toMatch(/^ValidationException: Give the current token's PIN, or the share files/);
    const wrong = [custodians[0], { name: 'bo', passphrase: 'not bo’s passphrase' }].map((c) => ({ path: join(dir, `${c?.name ?? ''}.share.json`), passphrase: c?.passphrase ?? '' }));
    expect(failure(await core.handleAsync('vault:rewrap', { ...request, shares: wrong }))).toMatch(/^InvalidCiphertextException: .*bo\.share\.json does not open with that passphrase/);
    const shares = custodians.map(({ name, passphrase }) => ({ path: join(dir, `${name}.share.json`), passphrase }));
    const moved = value(await core.handleAsync('vault:rewrap', { ...request, shares, record: record('lost', 'Token A was lost in transit; ana and bo are here.') })) as { status: VaultStatus };
    expect(moved.status).toMatchObject({ State: 'Unlocked', Token: { Label: 'B' } });
    expect(kms(core, 'Decrypt', { CiphertextBlob: blob }).Plaintext).toBe('AAEC');
    expect(stepsOf(join(dir, 'lost'))[1]).toMatch(/opening it with the shares of ana, bo\.$/);
  });
});

describe('replica keys from the interface', () => {
  it('the replica’s vault writes a request, the primary’s answers with a bundle, the replica imports it: each decrypts what the other encrypted', async () => {
    addTokens('Europe', 'America');
    const europe = coreOnToken('Europe', 'eu-west-1');
    const america = coreOnToken('America', 'us-east-1');
    const keyId = keyIdOf(kms(europe, 'CreateKey', { MultiRegion: true }));
    const requestFile = join(dir, 'america.request.json');
    const bundle = join(dir, 'america.bundle.json');

    expect(value(await america.handleAsync('replica:request', { file: requestFile }))).toMatchObject({ File: requestFile, Region: 'us-east-1' });
    expect(failure(await america.handleAsync('replica:request', { file: requestFile }))).toMatch(/^AlreadyExistsException/);
    expect(failure(await europe.handleAsync('replica:export', { keyId, requestFile: join(dir, 'missing.json'), file: bundle }))).toBe(`ValidationException: Cannot read ${join(dir, 'missing.json')}.`);
    const exported = value(await europe.handleAsync('replica:export', { keyId, requestFile, file: bundle, record: record('export', 'The request came from the America vault by hand.') }));
    expect(exported.ReplicaKeyMetadata).toMatchObject({ KeyId: keyId, Arn: expect.stringContaining(':us-east-1:') as string });
    expect(stepsOf(join(dir, 'export'))).toHaveLength(2);

    const imported = value(await america.handleAsync('replica:import', { file: bundle, record: record('import', 'The bundle came from the Europe vault by hand.') }));
    expect(imported.ReplicaKeyMetadata).toMatchObject({ KeyId: keyId, MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA' } });
    expect(existsSync(join(dir, 'import.sig'))).toBe(true);

    const text = Buffer.from('shipping manifest').toString('base64');
    const fromEurope = String(kms(europe, 'Encrypt', { KeyId: keyId, Plaintext: text }).CiphertextBlob);
    const fromAmerica = String(kms(america, 'Encrypt', { KeyId: keyId, Plaintext: text }).CiphertextBlob);
    expect(kms(america, 'Decrypt', { CiphertextBlob: fromEurope }).Plaintext).toBe(text);
    expect(kms(europe, 'Decrypt', { CiphertextBlob: fromAmerica }).Plaintext).toBe(text);
  });
});

describe('keys for a cloud KMS from the interface', () => {
  it('wraps an exportable HMAC key for another vault’s EXTERNAL key, which then gives the same MAC; refuses a file that holds no public key', async () => {
    addTokens('A', 'B');
    const a = coreOnToken('A');
    const b = coreOnToken('B');
    const exportable = keyIdOf(kms(a, 'CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Exportable: true }));
    const external = keyIdOf(kms(b, 'CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Origin: 'EXTERNAL' }));
    const parameters = kms(b, 'GetParametersForImport', { KeyId: external, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: 'RSA_3072' });
    const publicKey = join(dir, 'WrappingPublicKey.bin');
    writeFileSync(publicKey, Buffer.from(String(parameters.PublicKey), 'base64'));
    const out = join(dir, 'EncryptedKeyMaterial.bin');

    const notAKey = join(dir, 'note.txt');
    writeFileSync(notAKey, 'not a key\n');
    expect(failure(await a.handleAsync('byok:wrap', { keyId: exportable, wrappingPublicKeyFile: notAKey, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', file: out }))).toBe(`ValidationException: ${notAKey} holds no public key that can be read (DER, base64 or PEM).`);
    expect(existsSync(out)).toBe(false);
    // A transcript that could not be written at the end stops the ceremony before it starts.
    writeFileSync(join(dir, 'taken.pdf'), '');
    expect(failure(await a.handleAsync('byok:wrap', { keyId: exportable, wrappingPublicKeyFile: publicKey, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', file: out, record: record('taken', 'A step.') }))).toBe(`AlreadyExistsException: ${join(dir, 'taken.pdf')} exists: choose another name for the transcript.`);
    expect(existsSync(out)).toBe(false);

    const wrapped = value(await a.handleAsync('byok:wrap', { keyId: exportable, wrappingPublicKeyFile: publicKey, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', file: out, record: record('byok', 'The wrapping key came from B’s GetParametersForImport.') }));
    expect(wrapped).toMatchObject({ File: out, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingPublicKeySha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string });
    expect(wrapped).not.toHaveProperty('EncryptedKeyMaterial');
    kms(b, 'ImportKeyMaterial', { KeyId: external, ImportToken: parameters.ImportToken, EncryptedKeyMaterial: readFileSync(out).toString('base64'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    const mac = (core: AppCore, keyId: string): unknown => kms(core, 'GenerateMac', { KeyId: keyId, Message: 'bGVkZ2Vy', MacAlgorithm: 'HMAC_SHA_256' }).Mac;
    expect(mac(b, external)).toBe(mac(a, exportable));
    expect(readFileSync(join(dir, 'byok.txt'), 'utf8')).toContain(String(wrapped.WrappingPublicKeySha256));
  });
});

describe('a restore from the interface', () => {
  const custodians = [{ name: 'ana', passphrase: 'ana keeps the blue notebook' }, { name: 'bo', passphrase: 'bo keeps the red notebook' }];

  /** A vault on token Old with a key, a ciphertext under it, a 2-of-2 split and a backup, then closed; and a core on an empty home to restore into. */
  async function backedUp(): Promise<{ file: string; blob: string; fresh: AppCore }> {
    const old = coreOnToken('Old');
    const blob = String(kms(old, 'Encrypt', { KeyId: keyIdOf(kms(old, 'CreateKey', {})), Plaintext: 'AAEC' }).CiphertextBlob);
    value(await old.handleAsync('recovery:split', { threshold: 2, custodians, outDir: dir, print: false }));
    const file = join(dir, 'vault.backup');
    value(await old.handleAsync('backup:create', { file }));
    old.close();
    const fresh = new AppCore(join(tempDir(), 'home'), 'app');
    cores = [fresh];
    return { file, blob, fresh };
  }

  it('restores a backup with two shares into an empty home, unlocked, and writes the restore’s transcript with the steps confirmed', async () => {
    addTokens('Old');
    const { file, blob, fresh } = await backedUp();
    const shares = custodians.map(({ name, passphrase }) => ({ path: join(dir, `${name}.share.json`), passphrase }));
    const restored = value(await fresh.handleAsync('vault:restore', { file, shares, pin: 'harbour-quiet-mosaic-tulip-58', record: record('restore', 'The backup is the one its manifest describes.') }));
    expect(restored.status).toMatchObject({ State: 'Unlocked', Token: { Embedded: true } });
    expect(kms(fresh, 'Decrypt', { CiphertextBlob: blob }).Plaintext).toBe('AAEC');
    expect(stepsOf(join(dir, 'restore'))).toEqual(['The backup is the one its manifest describes.', expect.stringMatching(/^Restore vault .* opened with the shares of ana, bo/) as string]);
  });

  it('restores with the token the backup was sealed on, onto a token of a PKCS#11 module with rsa; no security-officer PIN to show', async () => {
    addTokens('Old', 'New');
    const { file, blob, fresh } = await backedUp();
    const request = { file, pin: PIN, pkcs11: tokenUri('New'), rootOfTrust: 'rsa' as const };
    expect(failure(await fresh.handleAsync('vault:restore', request))).toMatch(/^ValidationException: Give the share files of M custodians/);
    expect(failure(await fresh.handleAsync('vault:restore', { ...request, oldToken: { pin: 'not the PIN' } }))).toMatch(/^IncorrectPinException/);
    const restored = value(await fresh.handleAsync('vault:restore', { ...request, oldToken: { pin: PIN }, record: record('restore-token', 'The Old token is in the reader.') }));
    expect(restored).not.toHaveProperty('securityOfficerPin');
    expect(restored.status).toMatchObject({ State: 'Unlocked', Token: { Label: 'New', Embedded: false }, RootOfTrust: expect.stringMatching(/^rsa-oaep-/) as string });
    expect(kms(fresh, 'Decrypt', { CiphertextBlob: blob }).Plaintext).toBe('AAEC');
    expect(stepsOf(join(dir, 'restore-token'))[1]).toMatch(/opened with the token it was sealed on \("Old"\), onto pkcs11:token=New.* \(rsa\)\.$/);
  });
});
