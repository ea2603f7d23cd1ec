import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { b64, call, failure } from '../helpers/kms';
import { tempDir } from '../helpers/temp';
import { unlockedVaultForFile } from '../helpers/vault';

let vault: Vault;
const dir = tempDir();
unlockedVaultForFile((made) => {
  vault = made;
});

const keys = new Map<string, string>();
/** One signing key of `spec`, made once for the file. */
function signingKey(spec: string): string {
  let id = keys.get(spec);
  if (id === undefined) {
    id = call(vault, 'CreateKey', { KeySpec: spec, KeyUsage: 'SIGN_VERIFY' }).KeyMetadata?.KeyId ?? '';
    keys.set(spec, id);
  }
  return id;
}

/** The key's public key as a PEM file, converted from GetPublicKey's DER by openssl (which also proves it parses). */
function publicKeyPem(keyId: string): string {
  const der = join(dir, `${keyId}.der`);
  writeFileSync(der, Buffer.from(call(vault, 'GetPublicKey', { KeyId: keyId }).PublicKey ?? '', 'base64'));
  const pem = join(dir, `${keyId}.pem`);
  execFileSync('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', der, '-out', pem]);
  return pem;
}

/** Whether `openssl dgst` (or with `pkeyutl`, `openssl pkeyutl -rawin`) finds `signature` good for `message` under the public key in `pem`, with `args` saying how. */
function opensslVerifies(pem: string, message: Buffer, signature: Buffer, args: string[]): boolean {
  const msg = join(dir, 'message.bin');
  const sig = join(dir, 'signature.bin');
  writeFileSync(msg, message);
  writeFileSync(sig, signature);
  const command = args[0] === 'pkeyutl' ? ['pkeyutl', '-verify', '-pubin', '-inkey', pem, '-rawin', '-in', msg, '-sigfile', sig] : [...args, '-verify', pem, '-signature', sig, msg];
  try {
    execFileSync('openssl', command, { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const message = Buffer.from('Strongroom signs this for the ceremony log.');

/** Each key spec's signing algorithms, with the hash and the openssl options that verify them. */
const CASES: { spec: string; algorithm: string; hash: 'sha256' | 'sha384' | 'sha512'; openssl: string[] }[] = [
  ...(['RSA_2048', 'RSA_3072', 'RSA_4096'] as const).flatMap((spec) =>
    (['sha256', 'sha384', 'sha512'] as const).flatMap((hash) => [
      { spec, algorithm: `RSASSA_PKCS1_V1_5_SHA_${hash.slice(3)}`, hash, openssl: ['dgst', `-${hash}`] },
      { spec, algorithm: `RSASSA_PSS_SHA_${hash.slice(3)}`, hash, openssl: ['dgst', `-${hash}`, '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'] },
    ]),
  ),
  { spec: 'ECC_NIST_P256', algorithm: 'ECDSA_SHA_256', hash: 'sha256', openssl: ['dgst', '-sha256'] },
  { spec: 'ECC_NIST_P384', algorithm: 'ECDSA_SHA_384', hash: 'sha384', openssl: ['dgst', '-sha384'] },
  { spec: 'ECC_NIST_P521', algorithm: 'ECDSA_SHA_512', hash: 'sha512', openssl: ['dgst', '-sha512'] },
  { spec: 'ECC_SECG_P256K1', algorithm: 'ECDSA_SHA_256', hash: 'sha256', openssl: ['dgst', '-sha256'] },
];

describe('Sign and Verify, checked by openssl', () => {
  it.each(CASES)('$spec $algorithm: RAW and DIGEST signatures verify in openssl and in Verify; a changed one does not', ({ spec, algorithm, hash, openssl }) => {
    const keyId = signingKey(spec);
    const pem = publicKeyPem(keyId);
    const digest = createHash(hash).update(message).digest();
    for (const [type, given] of [['RAW', message], ['DIGEST', digest]] as const) {
      const signed = call(vault, 'Sign', { KeyId: keyId, Message: b64(given), MessageType: type, SigningAlgorithm: algorithm });
      expect(signed.SigningAlgorithm).toBe(algorithm);
      const signature = Buffer.from(signed.Signature ?? '', 'base64');
      expect(opensslVerifies(pem, message, signature, openssl)).toBe(true);
      // Either form of the message verifies a signature made from either.
      for (const [verifyType, verifyGiven] of [['RAW', message], ['DIGEST', digest]] as const) {
        expect(call(vault, 'Verify', { KeyId: keyId, Message: b64(verifyGiven), MessageType: verifyType, Signature: b64(signature), SigningAlgorithm: algorithm }).SignatureValid).toBe(true);
      }
      const changed = Buffer.from(signature);
      changed[changed.length - 5] = (changed[changed.length - 5] ?? 0) ^ 1;
      expect(opensslVerifies(pem, message, changed, openssl)).toBe(false);
      expect(failure(vault, 'Verify', { KeyId: keyId, Message: b64(message), Signature: b64(changed), SigningAlgorithm: algorithm })).toMatch(/^KMSInvalidSignatureException/);
      expect(failure(vault, 'Verify', { KeyId: keyId, Message: b64('another message'), Signature: b64(signature), SigningAlgorithm: algorithm })).toMatch(/^KMSInvalidSignatureException/);
    }
  });

  it('ECC_NIST_EDWARDS25519: ED25519_SHA_512 verifies in openssl, ED25519_PH_SHA_512 (RAW and DIGEST) in @noble/curves', () => {
    const keyId = signingKey('ECC_NIST_EDWARDS25519');
    const pem = publicKeyPem(keyId);
    const pure = Buffer.from(call(vault, 'Sign', { KeyId: keyId, Message: b64(message), SigningAlgorithm: 'ED25519_SHA_512' }).Signature ?? '', 'base64');
    expect(pure).toHaveLength(64);
    expect(opensslVerifies(pem, message, pure, ['pkeyutl'])).toBe(true);
    expect(call(vault, 'Verify', { KeyId: keyId, Message: b64(message), Signature: b64(pure), SigningAlgorithm: 'ED25519_SHA_512' }).SignatureValid).toBe(true);

    const point = Buffer.from(call(vault, 'GetPublicKey', { KeyId: keyId }).PublicKey ?? '', 'base64').subarray(-32);
    const digest = createHash('sha512').update(message).digest();
    for (const [type, given] of [['RAW', message], ['DIGEST', digest]] as const) {
      const signature = Buffer.from(call(vault, 'Sign', { KeyId: keyId, Message: b64(given), MessageType: type, SigningAlgorithm: 'ED25519_PH_SHA_512' }).Signature ?? '', 'base64');
      expect(ed25519ph.verify(signature, message, point, { zip215: false })).toBe(true);
      expect(signature.equals(pure)).toBe(false);
      expect(call(vault, 'Verify', { KeyId: keyId, Message: b64(message), Signature: b64(signature), SigningAlgorithm: 'ED25519_PH_SHA_512' }).SignatureValid).toBe(true);
      expect(failure(vault, 'Verify', { KeyId: keyId, Message: b64(message), Signature: b64(signature), SigningAlgorithm: 'ED25519_SHA_512' })).toMatch(/^KMSInvalidSignatureException/);
    }
  });
});

describe('what AWS refuses', () => {
  it('refuses the wrong key, usage, algorithm or message type with AWS exception names', () => {
    const rsa = signingKey('RSA_2048');
    const p256 = signingKey('ECC_NIST_P256');
    const ed = signingKey('ECC_NIST_EDWARDS25519');
    const symmetric = call(vault, 'CreateKey', {}).KeyMetadata?.KeyId;
    const sign = (keyId: string | undefined, algorithm: string, extra: Record<string, unknown> = {}): string =>
      failure(vault, 'Sign', { KeyId: keyId, Message: b64(message), SigningAlgorithm: algorithm, ...extra });
    expect(sign(p256, 'ECDSA_SHA_384')).toMatch(/^InvalidKeyUsageException: .* ECDSA_SHA_256, not ECDSA_SHA_384/);
    expect(sign(rsa, 'ECDSA_SHA_256')).toMatch(/^InvalidKeyUsageException/);
    expect(sign(symmetric, 'RSASSA_PSS_SHA_256')).toMatch(/^InvalidKeyUsageException: .* for ENCRYPT_DECRYPT/);
    expect(sign(rsa, 'RSASSA_PSS_SHA_256', { MessageType: 'DIGEST' })).toMatch(/^ValidationException: .* 32 bytes; this Message has 43/);
    expect(sign(ed, 'ED25519_SHA_512', { MessageType: 'DIGEST', Message: b64(Buffer.alloc(64)) })).toMatch(/^ValidationException: .*MessageType RAW/);
    expect(sign(rsa, 'RSASSA_PSS_SHA_256', { MessageType: 'EXTERNAL_MU' })).toMatch(/^ValidationException: .*ML_DSA/);
    expect(sign(rsa, 'RSASSA_PSS_SHA_256', { Message: b64(Buffer.alloc(4097)) })).toMatch(/^ValidationException/);
    expect(failure(vault, 'Encrypt', { KeyId: p256, Plaintext: b64('x') })).toMatch(/^InvalidKeyUsageException/);
    expect(failure(vault, 'GetPublicKey', { KeyId: symmetric })).toMatch(/^UnsupportedOperationException: .* has no public key/);
    expect(failure(vault, 'EnableKeyRotation', { KeyId: rsa })).toMatch(/^UnsupportedOperationException/);
    expect(failure(vault, 'RotateKeyOnDemand', { KeyId: p256 })).toMatch(/^UnsupportedOperationException/);
    expect(failure(vault, 'CreateKey', { KeySpec: 'ECC_NIST_P256' })).toMatch(/^ValidationException: .*not ENCRYPT_DECRYPT \(the default\): give KeyUsage/);
    expect(failure(vault, 'CreateKey', { KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'KEY_AGREEMENT' })).toMatch(/^ValidationException/);
    expect(failure(vault, 'CreateKey', { KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'KEY_AGREEMENT' })).toMatch(/^ValidationException/);
  });

  it('a disabled key neither signs nor shows its public key; DescribeKey lists the spec’s algorithms', () => {
    const created = call(vault, 'CreateKey', { KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' }).KeyMetadata;
    expect(created).toMatchObject({ KeySpec: 'ECC_NIST_P384', CustomerMasterKeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_384'] });
    expect(created?.EncryptionAlgorithms).toBeUndefined();
    const keyId = created?.KeyId;
    call(vault, 'DisableKey', { KeyId: keyId });
    expect(failure(vault, 'Sign', { KeyId: keyId, Message: b64(message), SigningAlgorithm: 'ECDSA_SHA_384' })).toMatch(/^DisabledException/);
    expect(failure(vault, 'GetPublicKey', { KeyId: keyId })).toMatch(/^DisabledException/);
    call(vault, 'EnableKey', { KeyId: keyId });
    const publicKey = call(vault, 'GetPublicKey', { KeyId: keyId });
    expect(publicKey).toMatchObject({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_384'] });
    expect(call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata?.KeySpec).toBe('ECC_NIST_P384');
  });
});
