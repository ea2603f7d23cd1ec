import { execFileSync } from 'node:child_process';
import { createHmac, createPrivateKey, createPublicKey, randomBytes, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportAuditLog } from '../../src-main/audit/verify';
import { runMaintenance } from '../../src-main/kms/engine/maintenance';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { b64, call, failure } from '../helpers/kms';
import { tempDir } from '../helpers/temp';
import { unlockedVaultForFile } from '../helpers/vault';

let vault: Vault;
const dir = tempDir();
unlockedVaultForFile((made) => {
  vault = made;
});

const bytes = (base64: string | undefined): Buffer => Buffer.from(base64 ?? '', 'base64');
const external = (request: Record<string, unknown> = {}): string => call(vault, 'CreateKey', { Origin: 'EXTERNAL', ...request }).KeyMetadata?.KeyId ?? '';

/** GetParametersForImport's public key as a PEM file (converted by openssl), and its import token. */
function parameters(keyId: string, algorithm: string, spec = 'RSA_2048'): { pem: string; token: string } {
  const response = call(vault, 'GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: spec });
  writeFileSync(join(dir, 'wrapping.der'), bytes(response.PublicKey));
  execFileSync('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', join(dir, 'wrapping.der'), '-out', join(dir, 'wrapping.pem')]);
  return { pem: join(dir, 'wrapping.pem'), token: response.ImportToken ?? '' };
}

/** `material` wrapped by openssl as `algorithm` asks: SM2PKE or RSAES-OAEP alone, or an AES key under OAEP and the material under AES-KWP (RFC 5649). */
function opensslWrap(pem: string, material: Buffer, algorithm: string): Buffer {
  const hash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const padding = algorithm === 'SM2PKE' ? [] : ['-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${hash}`, '-pkeyopt', `rsa_mgf1_md:${hash}`];
  const oaep = (input: Buffer): Buffer => {
    writeFileSync(join(dir, 'in.bin'), input);
    execFileSync('openssl', ['pkeyutl', '-encrypt', '-pubin', '-inkey', pem, '-in', join(dir, 'in.bin'), '-out', join(dir, 'out.bin'), ...padding]);
    return readFileSync(join(dir, 'out.bin'));
  };
  if (!algorithm.startsWith('RSA_AES_KEY_WRAP')) return oaep(material);
  const aesKey = randomBytes(32);
  writeFileSync(join(dir, 'material.bin'), material);
  execFileSync('openssl', ['enc', '-id-aes256-wrap-pad', '-K', aesKey.toString('hex'), '-iv', 'A65959A6', '-in', join(dir, 'material.bin'), '-out', join(dir, 'kwp.bin')]);
  return Buffer.concat([oaep(aesKey), readFileSync(join(dir, 'kwp.bin'))]);
}

function importInto(keyId: string, material: Buffer, algorithm = 'RSAES_OAEP_SHA_256', extra: Record<string, unknown> = {}): string {
  const { pem, token } = parameters(keyId, algorithm, algorithm === 'SM2PKE' ? 'SM2' : 'RSA_2048');
  return failure(vault, 'ImportKeyMaterial', { KeyId: keyId, ImportToken: token, EncryptedKeyMaterial: b64(opensslWrap(pem, material, algorithm)), ...extra });
}

describe('imported key material', () => {
  it('a symmetric key waits PendingImport, then encrypts with the material openssl wrapped for it', () => {
    const keyId = external({ Description: 'from the ceremony' });
    expect(call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata).toMatchObject({ Origin: 'EXTERNAL', KeyState: 'PendingImport', Enabled: false });
    expect(failure(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('x') })).toMatch(/^KMSInvalidStateException/);
    const params = call(vault, 'GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_3072' });
    expect(createPublicKey({ key: bytes(params.PublicKey), format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect((params.ParametersValidTo ?? 0) * 1000 - Date.now()).toBeGreaterThan(24 * 3600_000 - 60_000);

    const material = randomBytes(32);
    expect(importInto(keyId, material)).toBe('no error');
    const metadata = call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata;
    expect(metadata).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('imported'), EncryptionContext: { a: 'b' } });
    expect(bytes(call(vault, 'Decrypt', { CiphertextBlob, EncryptionContext: { a: 'b' } }).Plaintext).toString()).toBe('imported');
    expect(failure(vault, 'EnableKeyRotation', { KeyId: keyId })).toMatch(/^UnsupportedOperationException/);

    // The same material again is fine, and keeps its id; other material is refused.
    expect(importInto(keyId, material)).toBe('no error');
    expect(call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata?.CurrentKeyMaterialId).toBe(metadata?.CurrentKeyMaterialId);
    expect(importInto(keyId, randomBytes(32))).toMatch(/^IncorrectKeyMaterialException/);

    // Deleted, the key waits for the same material, and its old ciphertexts open again once it is back.
    call(vault, 'DeleteImportedKeyMaterial', { KeyId: keyId });
    expect(call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata?.KeyState).toBe('PendingImport');
    expect(failure(vault, 'Decrypt', { CiphertextBlob, EncryptionContext: { a: 'b' } })).toMatch(/^KMSInvalidStateException/);
    expect(importInto(keyId, randomBytes(32))).toMatch(/^IncorrectKeyMaterialException/);
    expect(importInto(keyId, material, 'RSA_AES_KEY_WRAP_SHA_1')).toBe('no error');
    expect(bytes(call(vault, 'Decrypt', { CiphertextBlob, EncryptionContext: { a: 'b' } }).Plaintext).toString()).toBe('imported');
  });

  it('an HMAC key computes its MACs with exactly the imported bytes', () => {
    const keyId = external({ KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const material = randomBytes(64);
    expect(importInto(keyId, material, 'RSAES_OAEP_SHA_1')).toBe('no error');
    const { Mac } = call(vault, 'GenerateMac', { KeyId: keyId, Message: b64('ledger'), MacAlgorithm: 'HMAC_SHA_384' });
    expect(bytes(Mac).equals(createHmac('sha384', material).update('ledger').digest())).toBe(true);
    expect(importInto(external({ KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' }), randomBytes(47))).toMatch(/^ValidationException: .*48 to 128 bytes/);
  });

  it.each([
    ['ECC_NIST_P256', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'ECDSA_SHA_256'],
    ['ECC_SECG_P256K1', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1'], 'ECDSA_SHA_256'],
    ['RSA_2048', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], 'RSASSA_PSS_SHA_256'],
    ['ECC_NIST_EDWARDS25519', ['genpkey', '-algorithm', 'ED25519'], 'ED25519_SHA_512'],
  ])('%s: a private key openssl made signs in the vault, and its public key is openssl’s', (spec, genpkey, algorithm) => {
    const keyId = external({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
    writeFileSync(join(dir, 'private.pem'), execFileSync('openssl', genpkey));
    const pkcs8 = execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', join(dir, 'private.pem'), '-outform', 'DER']);
    expect(importInto(keyId, pkcs8, 'RSA_AES_KEY_WRAP_SHA_256')).toBe('no error');
    const publicKey = execFileSync('openssl', ['pkey', '-in', join(dir, 'private.pem'), '-pubout', '-outform', 'DER']);
    expect(bytes(call(vault, 'GetPublicKey', { KeyId: keyId }).PublicKey).equals(publicKey)).toBe(true);
    const signature = bytes(call(vault, 'Sign', { KeyId: keyId, Message: b64('signed by imported key'), SigningAlgorithm: algorithm }).Signature);
    if (spec !== 'ECC_SECG_P256K1') {
      const key = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
      const options = algorithm.startsWith('RSASSA_PSS') ? { key, padding: 6, saltLength: 32 } : key;
      expect(verify(spec === 'ECC_NIST_EDWARDS25519' ? null : 'sha256', Buffer.from('signed by imported key'), options, signature)).toBe(true);
    }
    expect(importInto(external({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' }), randomBytes(32), 'RSA_AES_KEY_WRAP_SHA_256')).toMatch(/^ValidationException: .*PKCS#8/);
  });

  it('SM2: material wrapped with SM2PKE imports; an SM2 key openssl made encrypts for openssl and verifies openssl’s signatures', () => {
    const symmetric = external();
    expect(importInto(symmetric, randomBytes(32), 'SM2PKE')).toBe('no error');
    expect(call(vault, 'DescribeKey', { KeyId: symmetric }).KeyMetadata?.KeyState).toBe('Enabled');
    expect(failure(vault, 'GetParametersForImport', { KeyId: symmetric, WrappingAlgorithm: 'SM2PKE', WrappingKeySpec: 'RSA_2048' })).toMatch(/^ValidationException: .*SM2PKE goes with WrappingKeySpec SM2/);
    expect(failure(vault, 'GetParametersForImport', { KeyId: symmetric, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'SM2' })).toMatch(/^ValidationException: /);

    writeFileSync(join(dir, 'sm2.pem'), execFileSync('openssl', ['genpkey', '-algorithm', 'SM2']));
    const pkcs8 = execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', join(dir, 'sm2.pem'), '-outform', 'DER']);
    const encrypter = external({ KeySpec: 'SM2', KeyUsage: 'ENCRYPT_DECRYPT' });
    expect(importInto(encrypter, pkcs8, 'RSA_AES_KEY_WRAP_SHA_256')).toBe('no error');
    writeFileSync(join(dir, 'sealed.bin'), bytes(call(vault, 'Encrypt', { KeyId: encrypter, Plaintext: b64('for openssl'), EncryptionAlgorithm: 'SM2PKE' }).CiphertextBlob));
    expect(execFileSync('openssl', ['pkeyutl', '-decrypt', '-inkey', join(dir, 'sm2.pem'), '-in', join(dir, 'sealed.bin')]).toString()).toBe('for openssl');

    const signer = external({ KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' });
    expect(importInto(signer, pkcs8, 'SM2PKE')).toBe('no error');
    writeFileSync(join(dir, 'message.bin'), 'signed by openssl');
    const signature = execFileSync('openssl', ['dgst', '-sm3', '-sigopt', 'distid:1234567812345678', '-sign', join(dir, 'sm2.pem'), join(dir, 'message.bin')]);
    expect(call(vault, 'Verify', { KeyId: signer, Message: b64('signed by openssl'), Signature: b64(signature), SigningAlgorithm: 'SM2DSA' }).SignatureValid).toBe(true);
  });

  it('refuses tokens it did not give, expired tokens, bad ciphertexts and keys of other origins', () => {
    const keyId = external();
    const other = external();
    const { pem, token } = parameters(keyId, 'RSAES_OAEP_SHA_256');
    const wrapped = b64(opensslWrap(pem, randomBytes(32), 'RSAES_OAEP_SHA_256'));
    const otherToken = parameters(other, 'RSAES_OAEP_SHA_256').token;
    const importWith = (request: Record<string, unknown>): string => failure(vault, 'ImportKeyMaterial', { KeyId: keyId, ImportToken: token, EncryptedKeyMaterial: wrapped, ...request });
    expect(importWith({ ImportToken: otherToken })).toMatch(/^InvalidImportTokenException/);
    expect(importWith({ ImportToken: b64('not a token') })).toMatch(/^InvalidImportTokenException/);
    expect(importWith({ EncryptedKeyMaterial: b64(randomBytes(256)) })).toMatch(/^InvalidCiphertextException/);
    expect(importWith({ ExpirationModel: 'KEY_MATERIAL_EXPIRES' })).toMatch(/^ValidationException: .*needs ValidTo/);
    expect(importWith({ ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ValidTo: Date.now() / 1000 + 3600 })).toMatch(/^ValidationException/);
    expect(importWith({ ValidTo: Date.now() / 1000 - 60 })).toMatch(/^ValidationException: ValidTo must be in the future/);
    expect(importWith({ ValidTo: Date.now() / 1000 + 366 * 86400 })).toMatch(/^ValidationException/);
    vault.db.prepare('UPDATE import_parameters SET valid_to = ?').run(Date.now() - 1);
    expect(importWith({})).toMatch(/^ExpiredImportTokenException/);

    const native = call(vault, 'CreateKey', {}).KeyMetadata?.KeyId;
    expect(failure(vault, 'GetParametersForImport', { KeyId: native, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })).toMatch(/^UnsupportedOperationException: .*Origin EXTERNAL/);
    expect(failure(vault, 'DeleteImportedKeyMaterial', { KeyId: native })).toMatch(/^UnsupportedOperationException/);
    expect(failure(vault, 'GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_PKCS1_V1_5', WrappingKeySpec: 'RSA_2048' })).toMatch(/^UnsupportedOperationException/);
    expect(failure(vault, 'GetParametersForImport', { KeyId: 'alias/anything', WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })).toMatch(/^NotFoundException/);
    expect(failure(vault, 'CreateKey', { Origin: 'EXTERNAL_KEY_STORE' })).toMatch(/^UnsupportedOperationException/);
  });

  it('material whose ValidTo passes is deleted by the vault, recorded as DeleteExpiredKeyMaterial, and the key waits for it again', () => {
    const keyId = external();
    const material = randomBytes(32);
    const validTo = Date.now() / 1000 + 3600;
    expect(importInto(keyId, material, 'RSAES_OAEP_SHA_256', { ValidTo: validTo })).toBe('no error');
    expect(call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata).toMatchObject({ ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: Math.round(validTo * 1000) / 1000 });
    runMaintenance(vault, Date.now());
    expect(call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata?.KeyState).toBe('Enabled');
    runMaintenance(vault, Date.now() + 3601_000);
    expect(call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata?.KeyState).toBe('PendingImport');
    expect(vault.store.versions.list(keyId)).toEqual([]);
    const records = [...exportAuditLog(vault.db)].map((line) => JSON.parse(line) as { eventName: string; resources?: { ARN: string }[] });
    expect(records.filter((r) => r.eventName === 'DeleteExpiredKeyMaterial').at(-1)?.resources?.map((r) => r.ARN)).toEqual([vault.store.keyArn(keyId)]);
    expect(importInto(keyId, material)).toBe('no error');
    expect(call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
  });
});
