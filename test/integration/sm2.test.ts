import { execFileSync } from 'node:child_process';
import { createECDH, createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

const bytes = (value: string | undefined): Buffer => Buffer.from(value ?? '', 'base64');
const keys = new Map<string, string>();
/** One SM2 key of `usage`, made once for the file. */
function sm2Key(usage: string): string {
  let id = keys.get(usage);
  if (id === undefined) {
    id = call(vault, 'CreateKey', { KeySpec: 'SM2', KeyUsage: usage }).KeyMetadata?.KeyId ?? '';
    keys.set(usage, id);
  }
  return id;
}

/** The key's public key as a PEM file, converted from GetPublicKey's DER by openssl. */
function publicKeyPem(keyId: string): string {
  writeFileSync(join(dir, 'public.der'), bytes(call(vault, 'GetPublicKey', { KeyId: keyId }).PublicKey));
  execFileSync('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', join(dir, 'public.der'), '-out', join(dir, 'public.pem')]);
  return join(dir, 'public.pem');
}

/** Runs openssl with `input` in a file, and gives what it wrote to `out`. */
function openssl(args: (file: { in: string; out: string }) => string[], input: Buffer): Buffer {
  const file = { in: join(dir, 'in.bin'), out: join(dir, 'out.bin') };
  writeFileSync(file.in, input);
  execFileSync('openssl', args(file), { stdio: 'pipe' });
  return readFileSync(file.out);
}

/** Whether `openssl dgst -sm3` with the default distinguishing ID finds `signature` good for `message` under `pem`. */
function opensslVerifies(pem: string, message: Buffer, signature: Buffer): boolean {
  writeFileSync(join(dir, 'message.bin'), message);
  writeFileSync(join(dir, 'signature.bin'), signature);
  try {
    execFileSync('openssl', ['dgst', '-sm3', '-sigopt', 'distid:1234567812345678', '-verify', pem, '-signature', join(dir, 'signature.bin'), join(dir, 'message.bin')], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** e = SM3(Z ‖ M) of GB/T 32918.2, with Z from the key's point and the default ID, computed with OpenSSL's SM3 (node:crypto). */
function sm2Digest(publicKeyDer: Buffer, message: Buffer): Buffer {
  const curve = [
    'fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc',
    '28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93',
    '32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7',
    'bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0',
  ].map((value) => Buffer.from(value, 'hex'));
  const id = Buffer.from('1234567812345678');
  const point = publicKeyDer.subarray(publicKeyDer.length - 64);
  const z = createHash('sm3')
    .update(Buffer.concat([Uint8Array.of(0, id.length * 8), id, ...curve, point]))
    .digest();
  return createHash('sm3').update(z).update(message).digest();
}

const message = Buffer.from('Strongroom signs this for the ceremony log.');

describe('SM2 keys', () => {
  it('offers each usage with its algorithm, and a public key openssl reads as SM2', () => {
    for (const [usage, field, algorithm] of [
      ['SIGN_VERIFY', 'SigningAlgorithms', 'SM2DSA'],
      ['ENCRYPT_DECRYPT', 'EncryptionAlgorithms', 'SM2PKE'],
      ['KEY_AGREEMENT', 'KeyAgreementAlgorithms', 'ECDH'],
    ] as const) {
      const metadata = call(vault, 'DescribeKey', { KeyId: sm2Key(usage) }).KeyMetadata;
      expect(metadata?.KeySpec).toBe('SM2');
      expect(metadata?.[field]).toEqual([algorithm]);
    }
    const text = execFileSync('openssl', ['pkey', '-pubin', '-in', publicKeyPem(sm2Key('SIGN_VERIFY')), '-text', '-noout']).toString();
    expect(text).toMatch(/ASN1 OID: SM2/);
    expect(failure(vault, 'CreateKey', { KeySpec: 'SM2', KeyUsage: 'GENERATE_VERIFY_MAC' })).toMatch(/^ValidationException: /);
  });

  it('SM2DSA: RAW and DIGEST signatures verify in openssl and in Verify; a changed one does not', () => {
    const keyId = sm2Key('SIGN_VERIFY');
    const pem = publicKeyPem(keyId);
    const digest = sm2Digest(readFileSync(join(dir, 'public.der')), message);
    for (const [type, given] of [['RAW', message], ['DIGEST', digest]] as const) {
      const signed = call(vault, 'Sign', { KeyId: keyId, Message: b64(given), MessageType: type, SigningAlgorithm: 'SM2DSA' });
      const signature = bytes(signed.Signature);
      expect(opensslVerifies(pem, message, signature)).toBe(true);
      for (const [verifyType, verifyGiven] of [['RAW', message], ['DIGEST', digest]] as const) {
        expect(call(vault, 'Verify', { KeyId: keyId, Message: b64(verifyGiven), MessageType: verifyType, Signature: b64(signature), SigningAlgorithm: 'SM2DSA' }).SignatureValid).toBe(true);
      }
      signature[40] = (signature[40] ?? 0) ^ 1;
      expect(opensslVerifies(pem, message, signature)).toBe(false);
      expect(failure(vault, 'Verify', { KeyId: keyId, Message: b64(given), MessageType: type, Signature: b64(signature), SigningAlgorithm: 'SM2DSA' })).toMatch(/^KMSInvalidSignatureException: /);
    }
    expect(failure(vault, 'Sign', { KeyId: keyId, Message: b64(digest.subarray(1)), MessageType: 'DIGEST', SigningAlgorithm: 'SM2DSA' })).toMatch(/^ValidationException: .*32 bytes/);
    expect(failure(vault, 'Sign', { KeyId: keyId, Message: b64(message), SigningAlgorithm: 'ECDSA_SHA_256' })).toMatch(/^InvalidKeyUsageException: /);
  });

  it('SM2PKE: what openssl encrypts to the public key decrypts; Encrypt’s ciphertext is GM/T 0009 DER; 1024 bytes at most', () => {
    const keyId = sm2Key('ENCRYPT_DECRYPT');
    const pem = publicKeyPem(keyId);
    const plaintext = Buffer.from('a document for the auditors');
    const fromOpenssl = openssl((f) => ['pkeyutl', '-encrypt', '-pubin', '-inkey', pem, '-in', f.in, '-out', f.out], plaintext);
    const decrypted = call(vault, 'Decrypt', { KeyId: keyId, CiphertextBlob: b64(fromOpenssl), EncryptionAlgorithm: 'SM2PKE' });
    expect(bytes(decrypted.Plaintext).equals(plaintext)).toBe(true);
    expect(decrypted.EncryptionAlgorithm).toBe('SM2PKE');

    const blob = bytes(call(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64(Buffer.alloc(1024, 7)), EncryptionAlgorithm: 'SM2PKE' }).CiphertextBlob);
    const parsed = execFileSync('openssl', ['asn1parse', '-inform', 'DER'], { input: blob }).toString();
    expect(parsed.match(/INTEGER|OCTET STRING/g)).toEqual(['INTEGER', 'INTEGER', 'OCTET STRING', 'OCTET STRING']);
    expect(bytes(call(vault, 'Decrypt', { KeyId: keyId, CiphertextBlob: b64(blob), EncryptionAlgorithm: 'SM2PKE' }).Plaintext).equals(Buffer.alloc(1024, 7))).toBe(true);

    expect(failure(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64(Buffer.alloc(1025)), EncryptionAlgorithm: 'SM2PKE' })).toMatch(/^ValidationException: .*1024 bytes/);
    blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 1;
    expect(failure(vault, 'Decrypt', { KeyId: keyId, CiphertextBlob: b64(blob), EncryptionAlgorithm: 'SM2PKE' })).toMatch(/^InvalidCiphertextException: /);
    expect(failure(vault, 'Decrypt', { KeyId: keyId, CiphertextBlob: b64(Buffer.from('not DER at all')), EncryptionAlgorithm: 'SM2PKE' })).toMatch(/^InvalidCiphertextException: /);
    expect(failure(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).toMatch(/^InvalidKeyUsageException: /);
  });

  it('ECDH: the shared secret is the one OpenSSL derives for the peer (node:crypto on the SM2 curve)', () => {
    const keyId = sm2Key('KEY_AGREEMENT');
    const ours = bytes(call(vault, 'GetPublicKey', { KeyId: keyId }).PublicKey);
    const peer = createECDH('SM2');
    peer.generateKeys();
    const peerSpki = Buffer.concat([ours.subarray(0, ours.length - 65), peer.getPublicKey()]);
    const { SharedSecret } = call(vault, 'DeriveSharedSecret', { KeyId: keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: b64(peerSpki) });
    expect(bytes(SharedSecret).equals(peer.computeSecret(ours.subarray(ours.length - 65)))).toBe(true);
  });

  it('GenerateDataKeyPair SM2: a PKCS#8 private key openssl reads, whose public key is the one returned', () => {
    const wrapping = call(vault, 'CreateKey', {}).KeyMetadata?.KeyId ?? '';
    const pair = call(vault, 'GenerateDataKeyPair', { KeyId: wrapping, KeyPairSpec: 'SM2' });
    expect(pair.KeyPairSpec).toBe('SM2');
    const publicFromPrivate = openssl((f) => ['pkey', '-inform', 'DER', '-in', f.in, '-pubout', '-outform', 'DER', '-out', f.out], bytes(pair.PrivateKeyPlaintext));
    expect(publicFromPrivate.equals(bytes(pair.PublicKey))).toBe(true);
    const opened = call(vault, 'Decrypt', { CiphertextBlob: pair.PrivateKeyCiphertextBlob });
    expect(opened.Plaintext).toBe(pair.PrivateKeyPlaintext);
  });
});
