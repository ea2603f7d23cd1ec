import { execFileSync } from 'node:child_process';
import { createHmac, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { exportAuditLog } from '../../src-main/audit/verify';
import { b64, call, failure } from '../helpers/kms';
import { tempDir } from '../helpers/temp';
import { unlockedVaultForFile } from '../helpers/vault';

let vault: Vault;
const dir = tempDir();
unlockedVaultForFile((made) => {
  vault = made;
});

const keyOf = (request: Record<string, unknown>): string => call(vault, 'CreateKey', request).KeyMetadata?.KeyId ?? '';
const bytes = (base64: string | undefined): Buffer => Buffer.from(base64 ?? '', 'base64');

/** The DER SubjectPublicKeyInfo in `der`, written as PEM by openssl (which also proves it parses). */
function pemFile(name: string, der: Buffer, args: string[] = ['-pubin']): string {
  const derFile = join(dir, `${name}.der`);
  const pem = join(dir, `${name}.pem`);
  writeFileSync(derFile, der);
  execFileSync('openssl', ['pkey', ...args, '-inform', 'DER', '-in', derFile, '-out', pem]);
  return pem;
}

describe('RSAES-OAEP encryption', () => {
  it.each([
    ['RSA_2048', 'RSAES_OAEP_SHA_1', 'sha1', 214],
    ['RSA_2048', 'RSAES_OAEP_SHA_256', 'sha256', 190],
    ['RSA_3072', 'RSAES_OAEP_SHA_256', 'sha256', 318],
    ['RSA_4096', 'RSAES_OAEP_SHA_1', 'sha1', 470],
  ])('%s %s (%s): openssl encrypts to the public key, Decrypt opens it; Encrypt takes at most %i bytes', (spec, algorithm, hash, max) => {
    const keyId = keyOf({ KeySpec: spec, KeyUsage: 'ENCRYPT_DECRYPT' });
    const publicKey = call(vault, 'GetPublicKey', { KeyId: keyId });
    expect(publicKey.EncryptionAlgorithms).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    const pem = pemFile(keyId, bytes(publicKey.PublicKey));
    const plaintext = Buffer.alloc(max, 7);
    writeFileSync(join(dir, 'plain.bin'), plaintext);
    execFileSync('openssl', ['pkeyutl', '-encrypt', '-pubin', '-inkey', pem, '-in', join(dir, 'plain.bin'), '-out', join(dir, 'cipher.bin'), '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${hash}`, '-pkeyopt', `rsa_mgf1_md:${hash}`]);
    const ciphertext = readFileSync(join(dir, 'cipher.bin'));
    const decrypted = call(vault, 'Decrypt', { KeyId: keyId, CiphertextBlob: b64(ciphertext), EncryptionAlgorithm: algorithm });
    expect(bytes(decrypted.Plaintext).equals(plaintext)).toBe(true);
    expect(decrypted.EncryptionAlgorithm).toBe(algorithm);

    const encrypted = call(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64(plaintext), EncryptionAlgorithm: algorithm });
    expect(bytes(encrypted.CiphertextBlob)).toHaveLength(Number(spec.slice(4)) / 8);
    expect(bytes(call(vault, 'Decrypt', { KeyId: keyId, CiphertextBlob: encrypted.CiphertextBlob, EncryptionAlgorithm: algorithm }).Plaintext).equals(plaintext)).toBe(true);
    expect(failure(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64(Buffer.alloc(max + 1)), EncryptionAlgorithm: algorithm })).toMatch(new RegExp(`^ValidationException: .*at most ${String(max)} bytes`));
  });

  it('refuses what AWS refuses, and re-encrypts between RSA and symmetric keys', () => {
    const rsa = keyOf({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    const symmetric = keyOf({});
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: rsa, Plaintext: b64('for the vault'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    expect(failure(vault, 'Encrypt', { KeyId: rsa, Plaintext: b64('x') })).toMatch(/^InvalidKeyUsageException: .*not SYMMETRIC_DEFAULT/);
    expect(failure(vault, 'Encrypt', { KeyId: rsa, Plaintext: b64('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } })).toMatch(/^ValidationException: EncryptionContext is for symmetric/);
    expect(failure(vault, 'Decrypt', { CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).toMatch(/^ValidationException: KeyId is required/);
    expect(failure(vault, 'Decrypt', { KeyId: rsa, CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).toMatch(/^InvalidCiphertextException/);
    expect(failure(vault, 'Decrypt', { KeyId: symmetric, CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).toMatch(/^InvalidKeyUsageException/);
    expect(failure(vault, 'Decrypt', { KeyId: rsa, CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DryRun: true })).toMatch(/^DryRunOperationException/);
    expect(failure(vault, 'GenerateDataKey', { KeyId: rsa, KeySpec: 'AES_256' })).toMatch(/^InvalidKeyUsageException/);

    const toSymmetric = call(vault, 'ReEncrypt', { CiphertextBlob, SourceKeyId: rsa, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DestinationKeyId: symmetric, DestinationEncryptionContext: { case: '7' } });
    expect(bytes(call(vault, 'Decrypt', { CiphertextBlob: toSymmetric.CiphertextBlob, EncryptionContext: { case: '7' } }).Plaintext).toString()).toBe('for the vault');
    const back = call(vault, 'ReEncrypt', { CiphertextBlob: toSymmetric.CiphertextBlob, SourceEncryptionContext: { case: '7' }, DestinationKeyId: rsa, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1' });
    expect(bytes(call(vault, 'Decrypt', { KeyId: rsa, CiphertextBlob: back.CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }).Plaintext).toString()).toBe('for the vault');
  });
});

describe('DeriveSharedSecret', () => {
  it.each([
    ['ECC_NIST_P256', 'prime256v1'],
    ['ECC_NIST_P384', 'secp384r1'],
    ['ECC_NIST_P521', 'secp521r1'],
  ])('%s: the shared secret is the one OpenSSL (node:crypto) derives on the other side', (spec, namedCurve) => {
    const keyId = keyOf({ KeySpec: spec, KeyUsage: 'KEY_AGREEMENT' });
    const kmsPublic = call(vault, 'GetPublicKey', { KeyId: keyId });
    expect(kmsPublic.KeyAgreementAlgorithms).toEqual(['ECDH']);
    const peer = generateKeyPairSync('ec', { namedCurve });
    const derived = call(vault, 'DeriveSharedSecret', { KeyId: keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: b64(peer.publicKey.export({ type: 'spki', format: 'der' })) });
    const expected = diffieHellman({ privateKey: peer.privateKey, publicKey: createPublicKey({ key: bytes(kmsPublic.PublicKey), format: 'der', type: 'spki' }) });
    expect(bytes(derived.SharedSecret).equals(expected)).toBe(true);
    expect(derived).toMatchObject({ KeyAgreementAlgorithm: 'ECDH', KeyOrigin: 'AWS_KMS' });
  });

  it('refuses a public key on another curve, and keys that do not agree keys', () => {
    const p256Key = keyOf({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    const signer = keyOf({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const p384Public = call(vault, 'GetPublicKey', { KeyId: keyOf({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT' }) }).PublicKey;
    expect(failure(vault, 'DeriveSharedSecret', { KeyId: p256Key, KeyAgreementAlgorithm: 'ECDH', PublicKey: p384Public })).toMatch(/^ValidationException: PublicKey must be .* on P-256/);
    expect(failure(vault, 'DeriveSharedSecret', { KeyId: p256Key, KeyAgreementAlgorithm: 'ECDH', PublicKey: b64('not a key') })).toMatch(/^ValidationException/);
    expect(failure(vault, 'DeriveSharedSecret', { KeyId: signer, KeyAgreementAlgorithm: 'ECDH', PublicKey: p384Public })).toMatch(/^InvalidKeyUsageException/);
  });
});

describe('HMAC keys', () => {
  it.each([
    ['HMAC_224', 'HMAC_SHA_224', 28],
    ['HMAC_256', 'HMAC_SHA_256', 32],
    ['HMAC_384', 'HMAC_SHA_384', 48],
    ['HMAC_512', 'HMAC_SHA_512', 64],
  ])('%s: GenerateMac gives a %s tag that VerifyMac accepts, and a changed one it refuses', (spec, algorithm, length) => {
    const keyId = keyOf({ KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC' });
    expect(call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata).toMatchObject({ KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC', MacAlgorithms: [algorithm] });
    const { Mac } = call(vault, 'GenerateMac', { KeyId: keyId, Message: b64('ledger line 1'), MacAlgorithm: algorithm });
    expect(bytes(Mac)).toHaveLength(length);
    expect(call(vault, 'GenerateMac', { KeyId: keyId, Message: b64('ledger line 1'), MacAlgorithm: algorithm }).Mac).toBe(Mac);
    expect(call(vault, 'VerifyMac', { KeyId: keyId, Message: b64('ledger line 1'), Mac, MacAlgorithm: algorithm }).MacValid).toBe(true);
    expect(failure(vault, 'VerifyMac', { KeyId: keyId, Message: b64('ledger line 2'), Mac, MacAlgorithm: algorithm })).toMatch(/^KMSInvalidMacException/);
    expect(failure(vault, 'VerifyMac', { KeyId: keyId, Message: b64('ledger line 1'), Mac: b64(bytes(Mac).subarray(1)), MacAlgorithm: algorithm })).toMatch(/^KMSInvalidMacException/);
  });

  it('is the HMAC of the key material (RFC 2104), as node:crypto computes it', () => {
    const keyId = keyOf({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const row = vault.store.keys.get(keyId);
    const material = vault.use(({ rootKey }) => vault.store.withMaterial(rootKey.value, keyId, row?.currentVersion ?? 1, (m) => Buffer.from(m)));
    expect(material).toHaveLength(32);
    const { Mac } = call(vault, 'GenerateMac', { KeyId: keyId, Message: b64('abc'), MacAlgorithm: 'HMAC_SHA_256' });
    expect(bytes(Mac).equals(createHmac('sha256', material).update('abc').digest())).toBe(true);
  });

  it('refuses other algorithms, usages and rotation, as AWS does', () => {
    const mac = keyOf({ KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' });
    expect(failure(vault, 'GenerateMac', { KeyId: mac, Message: b64('x'), MacAlgorithm: 'HMAC_SHA_256' })).toMatch(/^InvalidKeyUsageException: .*HMAC_SHA_384, not HMAC_SHA_256/);
    expect(failure(vault, 'GenerateMac', { KeyId: keyOf({}), Message: b64('x'), MacAlgorithm: 'HMAC_SHA_256' })).toMatch(/^InvalidKeyUsageException/);
    expect(failure(vault, 'Encrypt', { KeyId: mac, Plaintext: b64('x') })).toMatch(/^InvalidKeyUsageException/);
    expect(failure(vault, 'GetPublicKey', { KeyId: mac })).toMatch(/^UnsupportedOperationException/);
    expect(failure(vault, 'EnableKeyRotation', { KeyId: mac })).toMatch(/^UnsupportedOperationException/);
    expect(failure(vault, 'CreateKey', { KeySpec: 'HMAC_256' })).toMatch(/^ValidationException: .*give KeyUsage/);
  });
});

describe('GenerateDataKeyPair', () => {
  it.each(['RSA_2048', 'ECC_NIST_P256', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519'])('%s: a PKCS#8 private key openssl reads, its public key, and its encryption under the KMS key', (spec) => {
    const keyId = keyOf({});
    const context = { purpose: 'data key pair' };
    const pair = call(vault, 'GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: spec, EncryptionContext: context });
    expect(pair.KeyPairSpec).toBe(spec);
    const privatePem = pemFile(`${spec}-private`, bytes(pair.PrivateKeyPlaintext), []);
    // openssl derives the same public key from the private key.
    const derivedPublic = execFileSync('openssl', ['pkey', '-in', privatePem, '-pubout', '-outform', 'DER']);
    expect(derivedPublic.equals(bytes(pair.PublicKey))).toBe(true);
    const opened = call(vault, 'Decrypt', { CiphertextBlob: pair.PrivateKeyCiphertextBlob, EncryptionContext: context });
    expect(opened.Plaintext).toBe(pair.PrivateKeyPlaintext);
    expect(failure(vault, 'Decrypt', { CiphertextBlob: pair.PrivateKeyCiphertextBlob })).toMatch(/^InvalidCiphertextException/);

    const withoutPlaintext = call(vault, 'GenerateDataKeyPairWithoutPlaintext', { KeyId: keyId, KeyPairSpec: spec });
    expect(withoutPlaintext).not.toHaveProperty('PrivateKeyPlaintext');
    const privateKey = bytes(call(vault, 'Decrypt', { CiphertextBlob: withoutPlaintext.PrivateKeyCiphertextBlob }).Plaintext);
    if (spec !== 'ECC_SECG_P256K1') {
      expect(createPublicKey(createPrivateKey({ key: privateKey, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' }).equals(bytes(withoutPlaintext.PublicKey))).toBe(true);
    }
  });

  it('needs a symmetric encryption key; nothing secret reaches the audit log', () => {
    const signer = keyOf({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(failure(vault, 'GenerateDataKeyPair', { KeyId: signer, KeyPairSpec: 'RSA_2048' })).toMatch(/^InvalidKeyUsageException/);
    const pair = call(vault, 'GenerateDataKeyPair', { KeyId: keyOf({}), KeyPairSpec: 'ECC_NIST_P256' });
    const log = [...exportAuditLog(vault.db)].join('\n');
    expect(log).toContain('"eventName":"GenerateDataKeyPair"');
    for (const secret of [pair.PrivateKeyPlaintext ?? '', bytes(pair.PrivateKeyPlaintext).toString('hex')]) expect(log).not.toContain(secret);
  });
});
