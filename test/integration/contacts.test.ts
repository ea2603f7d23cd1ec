import { generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { call, errorText, failure } from '../helpers/kms';
import { tempDir } from '../helpers/temp';
import { freshVaultForEachTest, PIN } from '../helpers/vault';

let vault: Vault;
freshVaultForEachTest((made) => {
  vault = made;
});

const AGE = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

describe('contacts', () => {
  it('keep a public key from PEM, base64 DER, a certificate, a JWK or an age recipient, with the fingerprint openssl gives', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey;
    const pem = rsa.export({ type: 'spki', format: 'pem' }).toString();
    const dir = tempDir();
    const keyFile = join(dir, 'ca.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', join(dir, 'ca.pem'), '-subj', '/CN=Carol', '-days', '30'], { stdio: 'ignore' });
    const certificate = readFileSync(join(dir, 'ca.pem'), 'utf8');
    /** The fingerprint of a PEM public key as openssl computes it: SHA-256 of its DER SubjectPublicKeyInfo, in base64. */
    const openssl = (input: string): string => `SHA256:${execFileSync('sh', ['-c', 'openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64'], { input, encoding: 'utf8' }).trim().replace(/=+$/, '')}`;
    const made = [
      call(vault, 'CreateContact', { Name: 'Bob', PublicKey: pem, Description: 'Bob at the lab' }).Contact,
      call(vault, 'CreateContact', { Name: 'bob-der', PublicKey: rsa.export({ type: 'spki', format: 'der' }).toString('base64') }).Contact,
      call(vault, 'CreateContact', { Name: 'Carol', PublicKey: certificate }).Contact,
      call(vault, 'CreateContact', { Name: 'Eve', PublicKey: JSON.stringify(ec.export({ format: 'jwk' })) }).Contact,
      call(vault, 'CreateContact', { Name: 'Ana', PublicKey: ` ${AGE}\n` }).Contact,
    ];
    expect(made.map((c) => c.Kind)).toEqual(['rsa', 'rsa', 'ec', 'ec', 'age']);
    expect(made[0]?.Fingerprint).toBe(openssl(pem));
    expect(made[1]?.Fingerprint).toBe(made[0]?.Fingerprint);
    expect(made[2]?.PublicKey).toBe(execFileSync('openssl', ['x509', '-pubkey', '-noout', '-in', join(dir, 'ca.pem')], { encoding: 'utf8' }));
    expect(made[4]?.PublicKey).toBe(AGE);
    expect(call(vault, 'ListContacts', {}).Contacts.map((c) => c.Name)).toEqual(['Ana', 'Bob', 'bob-der', 'Carol', 'Eve']);
  });

  it('refuse a private key, a short RSA key, an X25519 key, a name taken in any case; deleted, they are gone', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(failure(vault, 'CreateContact', { Name: 'x', PublicKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })).toMatch(/^ValidationException: .*this is a private key/);
    expect(failure(vault, 'CreateContact', { Name: 'x', PublicKey: JSON.stringify(privateKey.export({ format: 'jwk' })) })).toMatch(/this is a private key/);
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(failure(vault, 'CreateContact', { Name: 'x', PublicKey: short })).toMatch(/an RSA key of 1024 bits is too short/);
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(failure(vault, 'CreateContact', { Name: 'x', PublicKey: x25519 })).toMatch(/an X25519 key is given as its age recipient/);
    expect(failure(vault, 'CreateContact', { Name: 'x', PublicKey: 'not a key' })).toMatch(/not PEM, base64 DER/);
    call(vault, 'CreateContact', { Name: 'Bob', PublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    expect(failure(vault, 'CreateContact', { Name: 'BOB', PublicKey: AGE })).toBe('AlreadyExistsException: There is already a contact named Bob.');
    call(vault, 'DeleteContact', { Name: 'bob' });
    expect(call(vault, 'ListContacts', {}).Contacts).toEqual([]);
    expect(failure(vault, 'DeleteContact', { Name: 'bob' })).toMatch(/^NotFoundException: /);
  });

  it('changed outside Strongroom are TamperedVaultException', () => {
    call(vault, 'CreateContact', { Name: 'Ana', PublicKey: AGE });
    vault.db.prepare("UPDATE contacts SET public_key = 'age1mallory'").run();
    expect(errorText(() => call(vault, 'ListContacts', {}))).toMatch(/^TamperedVaultException: .*the contact Ana/);
    vault.unlock(PIN);
  });
});
