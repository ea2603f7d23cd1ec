import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { generateHybridIdentity, identityToRecipient } from 'age-encryption';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseHeaderBody } from '../../src-main/envelope/header';
import { cli, errorOf, initCliVault } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { PIN } from '../helpers/vault';

describe('strongroom file', () => {
  let env: Record<string, string>;
  let dir: string;
  let keyId: string;
  let signer: string;
  beforeAll(() => {
    ({ env } = initCliVault(PIN));
    dir = tempDir();
    keyId = cli(['kms', 'create-key', '--query', 'KeyMetadata.KeyId', '--output', 'text'], env).stdout.trim();
    signer = cli(['kms', 'create-key', '--key-spec', 'ECC_NIST_P384', '--key-usage', 'SIGN_VERIFY', '--query', 'KeyMetadata.Arn', '--output', 'text'], env).stdout.trim();
  });
  /** The files of the directory other than `keep`: none left half-written. */
  const strays = (...keep: string[]): string[] => readdirSync(dir).filter((name) => !keep.includes(name));

  it('encrypts for a vault key and an RSA public key file, signed, with a context; inspect shows it without the vault; decrypt names the signer and writes the file', () => {
    const plain = join(dir, 'report.pdf');
    writeFileSync(plain, randomBytes(200_000));
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pub = join(dir, 'bob.pem');
    writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
    const encrypted = cli(['file', 'encrypt', plain, '--recipient', keyId, '--recipient', pub, '--context', 'project=alpha', '--sign', signer, '--frame-length', '4096'], env);
    expect(encrypted.stderr).toBe('');
    expect(encrypted.status).toBe(0);
    const inspected = cli(['file', 'inspect', `${plain}.enc`], { STRONGROOM_HOME: join(dir, 'no vault here') });
    expect(inspected.json).toMatchObject({ Format: 'AWS Encryption SDK message format 2.0', AlgorithmSuite: '0x0578', EncryptionContext: { project: 'alpha' }, FrameLength: 4096, Signed: expect.stringMatching(/^by the key SHA256:/) as string });
    expect((inspected.json as { EncryptedFor: { KeyProviderId: string }[] }).EncryptedFor.map((r) => r.KeyProviderId)).toEqual(['aws-kms', 'strongroom']);

    const out = join(dir, 'back.pdf');
    const decrypted = cli(['file', 'decrypt', `${plain}.enc`, '-o', out], env);
    expect(decrypted.json).toMatchObject({ Output: out, EncryptionContext: { project: 'alpha' }, SignedBy: signer });
    expect(readFileSync(out).equals(readFileSync(plain))).toBe(true);
    expect(errorOf(cli(['file', 'decrypt', `${plain}.enc`, '-o', out], env))).toMatchObject({ __type: 'AlreadyExistsException' });
    expect(strays('report.pdf', 'report.pdf.enc', 'bob.pem', 'back.pdf')).toEqual([]);
  });

  it('streams standard input to standard output', () => {
    const encrypted = cli(['file', 'encrypt', '-', '--recipient', keyId, '-o', join(dir, 'piped.enc')], env, 'from a pipe');
    expect(encrypted.status).toBe(0);
    const decrypted = cli(['file', 'decrypt', join(dir, 'piped.enc'), '-o', '-'], env);
    expect(decrypted.stdout).toBe('from a pipe');
    expect(JSON.parse(decrypted.stderr)).toMatchObject({ Output: '-', SignedBy: 'nobody (the file is not signed)' });
    // The file on standard input is never taken for the PIN.
    const withoutPin = { STRONGROOM_HOME: env.STRONGROOM_HOME ?? '' };
    expect(errorOf(cli(['file', 'encrypt', '-', '--recipient', keyId, '-o', join(dir, 'nopin.enc')], withoutPin, `${PIN}\nthe rest`)).message).toBe('Standard input carries the file: give the PIN with STRONGROOM_PIN or a PIN file.');
  });

  it('writes nothing under the final name for a changed or cut file, or one no key of the vault opens, and says why', () => {
    const plain = join(dir, 'notes.txt');
    writeFileSync(plain, 'x'.repeat(10_000));
    expect(cli(['file', 'encrypt', plain, '--recipient', keyId, '--frame-length', '1000'], env).status).toBe(0);
    const message = readFileSync(`${plain}.enc`);
    const changed = Buffer.from(message);
    changed[message.length - 20] = (changed[message.length - 20] ?? 0) ^ 1;
    writeFileSync(join(dir, 'changed.enc'), changed);
    writeFileSync(join(dir, 'cut.enc'), message.subarray(0, message.length - 100));
    expect(errorOf(cli(['file', 'decrypt', join(dir, 'changed.enc')], env))).toMatchObject({ __type: 'InvalidCiphertextException', message: expect.stringMatching(/Frame 10 \(the last\) does not authenticate/) as string });
    expect(errorOf(cli(['file', 'decrypt', join(dir, 'cut.enc')], env))).toMatchObject({ __type: 'InvalidCiphertextException', message: expect.stringMatching(/cut short/) as string });
    expect(existsSync(join(dir, 'changed'))).toBe(false);
    expect(existsSync(join(dir, 'cut'))).toBe(false);
    expect(strays().filter((name) => name.endsWith('.partial'))).toEqual([]);

    const other = initCliVault(PIN).env;
    expect(errorOf(cli(['file', 'decrypt', `${plain}.enc`, '-o', join(dir, 'elsewhere.txt')], other))).toMatchObject({ __type: 'InvalidCiphertextException', message: expect.stringMatching(/No key of this vault opens the file: it was encrypted for arn:aws:kms:/) as string });
    expect(existsSync(join(dir, 'elsewhere.txt'))).toBe(false);
    expect(errorOf(cli(['file', 'encrypt', plain, '--recipient', signer, '--force'], env))).toMatchObject({ __type: 'ValidationException', message: expect.stringMatching(/a file is encrypted for a symmetric or RSA key/) as string });
  });

  it('writes age files that age -d opens, and opens age files with an identity file, without the vault; refuses a changed or cut one', () => {
    const noVault = { STRONGROOM_HOME: join(dir, 'no vault for age') };
    const keyFile = join(dir, 'me.key');
    expect(spawnSync('age-keygen', ['-o', keyFile]).status).toBe(0);
    const recipient = spawnSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).stdout.trim();
    const plain = join(dir, 'letter.txt');
    writeFileSync(plain, randomBytes(150_000));
    expect(cli(['file', 'encrypt', plain, '--recipient', recipient], noVault).status).toBe(0);
    expect(spawnSync('age', ['-d', '-i', keyFile, `${plain}.age`]).stdout.equals(readFileSync(plain))).toBe(true);
    expect(cli(['file', 'inspect', `${plain}.age`], noVault).json).toEqual({ Format: 'age v1 (age-encryption.org/v1)', Recipients: ['X25519'] });

    const theirs = join(dir, 'theirs.age');
    expect(spawnSync('age', ['-r', recipient, '-o', theirs, plain]).status).toBe(0);
    expect(cli(['file', 'decrypt', theirs, '--identity', keyFile, '-o', join(dir, 'theirs.txt')], noVault).json).toEqual({ Output: join(dir, 'theirs.txt'), Format: 'age' });
    expect(readFileSync(join(dir, 'theirs.txt')).equals(readFileSync(plain))).toBe(true);
    expect(cli(['file', 'decrypt', theirs, '-o', join(dir, 'none.txt')], noVault).stderr).toMatch(/there is no vault to open this file with; for an age file, give its identity file with --identity FILE/);

    const changed = readFileSync(theirs);
    changed[changed.length - 30] = (changed[changed.length - 30] ?? 0) ^ 1;
    writeFileSync(join(dir, 'changed.age'), changed);
    writeFileSync(join(dir, 'cut.age'), changed.subarray(0, changed.length - 40));
    for (const name of ['changed.age', 'cut.age']) {
      expect(errorOf(cli(['file', 'decrypt', join(dir, name), '--identity', keyFile], noVault)).__type).toBe('InvalidCiphertextException');
      expect(existsSync(join(dir, name.replace('.age', '')))).toBe(false);
    }
    expect(strays().filter((name) => name.endsWith('.partial'))).toEqual([]);
    expect(cli(['file', 'encrypt', plain, '--recipient', recipient, '--recipient', keyId, '--force'], env).stderr).toMatch(/age recipients get an age file/);
  });

  it('encrypts for contacts by name: an age contact gets an age file, an RSA contact an Encryption SDK message', () => {
    const keyFile = join(dir, 'carol.key');
    expect(spawnSync('age-keygen', ['-o', keyFile]).status).toBe(0);
    const carol = spawnSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).stdout.trim();
    expect(cli(['contact', 'add', 'Carol', carol, '--description', 'Carol in accounts'], env).json).toMatchObject({ Contact: { Name: 'Carol', Kind: 'age', Fingerprint: expect.stringMatching(/^SHA256:/) as string } });
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dir, 'dan.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    expect(cli(['contact', 'add', 'Dan', join(dir, 'dan.pem')], env).status).toBe(0);
    expect((cli(['contact', 'list'], env).json as { Contacts: { Name: string; CreationDate: string }[] }).Contacts.map((c) => [c.Name, /^\d{4}-\d\d-\d\dT/.test(c.CreationDate)])).toEqual([['Carol', true], ['Dan', true]]);

    const plain = join(dir, 'invoice.txt');
    writeFileSync(plain, 'pay 100');
    expect(cli(['file', 'encrypt', plain, '--recipient', 'carol'], env).status).toBe(0);
    expect(spawnSync('age', ['-d', '-i', keyFile, `${plain}.age`], { encoding: 'utf8' }).stdout).toBe('pay 100');
    expect(cli(['file', 'encrypt', plain, '--recipient', 'Dan', '--recipient', keyId], env).status).toBe(0);
    expect((cli(['file', 'inspect', `${plain}.enc`], env).json as { EncryptedFor: { KeyProviderId: string }[] }).EncryptedFor.map((r) => r.KeyProviderId)).toEqual(['strongroom', 'aws-kms']);
    expect((cli(['file', 'decrypt', `${plain}.enc`, '-o', join(dir, 'invoice.back')], env).json as { EncryptedFor: string[] }).EncryptedFor).toEqual(['Dan (contact)', expect.stringMatching(new RegExp(`key/${keyId}$`)) as string]);
    expect(cli(['file', 'encrypt', plain, '--recipient', 'carol', '--recipient', 'Dan', '--force'], env).stderr).toMatch(/age recipients get an age file/);
    expect(cli(['contact', 'remove', 'carol'], env).status).toBe(0);
    expect(errorOf(cli(['file', 'encrypt', plain, '--recipient', 'carol', '--force'], env))).toMatchObject({ __type: 'NotFoundException' });
  });

  it('keeps age identities and private keys in the vault; file decrypt opens what was made for any of them without being told which', () => {
    const made = cli(['identity', 'new', '--age', '--name', 'mine'], env).json as { AgeIdentity: { Name: string; Kind: string; Recipient: string; CreationDate: string } };
    expect(made.AgeIdentity).toMatchObject({ Name: 'mine', Kind: 'X25519', CreationDate: expect.stringMatching(/^\d{4}-/) as string });
    const mine = made.AgeIdentity.Recipient;
    const pq = (cli(['identity', 'new', '--age', '--pq', '--name', 'pq'], env).json as typeof made).AgeIdentity.Recipient;
    expect(pq).toMatch(/^age1pq1/);
    const keyFile = join(dir, 'imported.key');
    expect(spawnSync('age-keygen', ['-o', keyFile]).status).toBe(0);
    const imported = spawnSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).stdout.trim();
    expect((cli(['identity', 'import', keyFile, '--name', 'from-keygen'], env).json as { AgeIdentities: { Recipient: string }[] }).AgeIdentities.map((i) => i.Recipient)).toEqual([imported]);
    const rsaFile = join(dir, 'bob-private.pem');
    expect(spawnSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', rsaFile]).status).toBe(0);
    const rsaPublic = spawnSync('openssl', ['pkey', '-in', rsaFile, '-pubout'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(dir, 'bob-public.pem'), rsaPublic);
    expect(cli(['identity', 'import', rsaFile, '--name', 'bob-rsa'], env).json).toMatchObject({ KeyMetadata: { Origin: 'EXTERNAL', KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'RSA_2048', KeyState: 'Enabled' } });
    const listed = cli(['identity', 'list'], env).json as { AgeIdentities: { Name: string }[]; Keys: { KeySpec: string; PublicKey: string }[] };
    expect(listed.AgeIdentities.map((i) => i.Name)).toEqual(['from-keygen', 'mine', 'pq']);
    expect(listed.Keys.map((k) => k.PublicKey)).toContain(rsaPublic);

    const plain = join(dir, 'for-me.txt');
    writeFileSync(plain, randomBytes(70_000));
    const opened = (file: string): unknown => cli(['file', 'decrypt', file, '-o', join(dir, 'opened'), '--force'], env).json;
    const same = (): boolean => readFileSync(join(dir, 'opened')).equals(readFileSync(plain));
    expect(spawnSync('age', ['-r', mine, '-o', join(dir, 'to-mine.age'), plain]).status).toBe(0);
    expect(opened(join(dir, 'to-mine.age'))).toEqual({ Output: join(dir, 'opened'), Format: 'age', EncryptedFor: [`mine (age identity ${mine})`] });
    expect(same()).toBe(true);
    expect(spawnSync('age', ['-r', imported, '-o', join(dir, 'to-keygen.age'), plain]).status).toBe(0);
    expect(opened(join(dir, 'to-keygen.age'))).toMatchObject({ EncryptedFor: [`from-keygen (age identity ${imported})`] });
    expect(cli(['file', 'encrypt', plain, '--recipient', pq, '-o', join(dir, 'to-pq.age')], env).status).toBe(0);
    expect(opened(join(dir, 'to-pq.age'))).toMatchObject({ EncryptedFor: [`pq (age identity ${pq})`] });
    expect(same()).toBe(true);
    expect(cli(['file', 'encrypt', plain, '--recipient', join(dir, 'bob-public.pem'), '-o', join(dir, 'to-bob.enc')], env).status).toBe(0);
    expect(opened(join(dir, 'to-bob.enc'))).toMatchObject({ EncryptedFor: [expect.stringMatching(/^arn:aws:kms:.*:key\//) as string] });
    expect(same()).toBe(true);

    const ecFile = join(dir, 'erin-private.pem');
    expect(spawnSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', ecFile]).status).toBe(0);
    writeFileSync(join(dir, 'erin-public.pem'), spawnSync('openssl', ['pkey', '-in', ecFile, '-pubout'], { encoding: 'utf8' }).stdout);
    expect(cli(['identity', 'import', ecFile], env).json).toMatchObject({ KeyMetadata: { KeyUsage: 'KEY_AGREEMENT', KeySpec: 'ECC_NIST_P256', Origin: 'EXTERNAL' } });
    expect(cli(['file', 'encrypt', plain, '--recipient', join(dir, 'erin-public.pem'), '-o', join(dir, 'to-erin.enc')], env).status).toBe(0);
    expect(opened(join(dir, 'to-erin.enc'))).toMatchObject({ EncryptedFor: [expect.stringMatching(/^arn:aws:kms:.*:key\//) as string] });
    expect(same()).toBe(true);
    expect(cli(['contact', 'add', 'Erin', join(dir, 'erin-public.pem')], env).status).toBe(0);
    expect(cli(['file', 'encrypt', plain, '--recipient', 'erin', '-o', join(dir, 'to-erin.enc'), '--force'], env).status).toBe(0);
    expect(opened(join(dir, 'to-erin.enc'))).toMatchObject({ EncryptedFor: ['Erin (contact)'] });

    expect(cli(['identity', 'remove', 'mine'], env).status).toBe(0);
    expect(errorOf(cli(['file', 'decrypt', join(dir, 'to-mine.age'), '-o', join(dir, 'not-opened')], env))).toMatchObject({ __type: 'InvalidCiphertextException', message: expect.stringMatching(/No age identity of this vault opens the file/) as string });
    expect(existsSync(join(dir, 'not-opened'))).toBe(false);
    expect(cli(['identity', 'new'], env).stderr).toMatch(/--age/);
  });

  it('encrypts many files in one run; with --cache-max-age they share data keys within its limits, each file still opening alone', () => {
    const files = Array.from({ length: 5 }, (_, i) => join(dir, `batch-${String(i)}.txt`));
    files.forEach((file, i) => { writeFileSync(file, `file ${String(i)}`); });
    const dataKeys = (): number => new Set(files.map((file) => parseHeaderBody(readFileSync(`${file}.enc`))?.header.dataKeys[0]?.ciphertext.toString('hex'))).size;
    expect(cli(['file', 'encrypt', ...files, '--recipient', keyId, '--cache-max-age', '60', '--cache-max-messages', '2'], env).status).toBe(0);
    expect(dataKeys()).toBe(3);
    files.forEach((file, i) => { expect(cli(['file', 'decrypt', `${file}.enc`, '-o', '-'], env).stdout).toBe(`file ${String(i)}`); });
    expect(cli(['file', 'encrypt', ...files, '--recipient', keyId, '--force'], env).status).toBe(0);
    expect(dataKeys()).toBe(5);
    expect(cli(['file', 'encrypt', ...files, '--recipient', keyId, '-o', join(dir, 'one.enc')], env).stderr).toMatch(/with more than one IN, each is written to IN.enc/);
    expect(cli(['file', 'encrypt', files[0] ?? '', '--recipient', keyId, '--cache-max-messages', '2'], env).stderr).toMatch(/which --cache-max-age turns on/);
    expect(cli(['file', 'encrypt', files[0] ?? '', '--recipient', 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p', '--cache-max-age', '9'], env).stderr).toMatch(/no encryption context, signature, frame length or data key to cache/);
  });

  it('round-trips a hybrid post-quantum (age1pq1…) age file', async () => {
    const identity = await generateHybridIdentity();
    const recipient = await identityToRecipient(identity);
    const keyFile = join(dir, 'pq.key');
    writeFileSync(keyFile, `# hybrid\n${identity}\n`, { mode: 0o600 });
    const noVault = { STRONGROOM_HOME: join(dir, 'no vault for age') };
    const plain = join(dir, 'pq.txt');
    writeFileSync(plain, 'after the quantum computers');
    expect(cli(['file', 'encrypt', plain, '--recipient', recipient], noVault).status).toBe(0);
    expect(cli(['file', 'inspect', `${plain}.age`], noVault).json).toMatchObject({ Recipients: ['mlkem768x25519'] });
    expect(cli(['file', 'decrypt', `${plain}.age`, '--identity', keyFile, '-o', '-'], noVault).stdout).toBe('after the quantum computers');
  });
});
