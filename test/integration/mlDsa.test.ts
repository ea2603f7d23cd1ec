import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { shake256 } from '@noble/hashes/sha3.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { describe, expect, it } from 'vitest';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { b64, call, failure } from '../helpers/kms';
import { unlockedVaultForFile } from '../helpers/vault';

let vault: Vault;
unlockedVaultForFile((made) => {
  vault = made;
});

const bytes = (base64: string | undefined): Buffer => Buffer.from(base64 ?? '', 'base64');

/** μ of FIPS 204 (Algorithm 2, pure ML-DSA with an empty context): SHAKE256(SHAKE256(pk, 64) ‖ 0 ‖ 0 ‖ M, 64), computed here from the standard. */
function mu(publicKey: Uint8Array, message: Uint8Array): Buffer {
  const tr = shake256(publicKey, { dkLen: 64 });
  return Buffer.from(shake256(Buffer.concat([tr, Buffer.from([0, 0]), message]), { dkLen: 64 }));
}

describe.each([
  ['ML_DSA_44', ml_dsa44, '2.16.840.1.101.3.4.3.17', 2420],
  ['ML_DSA_65', ml_dsa65, '2.16.840.1.101.3.4.3.18', 3309],
  ['ML_DSA_87', ml_dsa87, '2.16.840.1.101.3.4.3.19', 4627],
] as const)('%s', (spec, dsa, oid, signatureBytes) => {
  it('signs RAW messages and external μ; @noble/post-quantum verifies both with the public key GetPublicKey gives', () => {
    const keyId = call(vault, 'CreateKey', { KeySpec: spec, KeyUsage: 'SIGN_VERIFY' }).KeyMetadata?.KeyId;
    const publicKey = call(vault, 'GetPublicKey', { KeyId: keyId });
    expect(publicKey).toMatchObject({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ML_DSA_SHAKE_256'] });
    const spki = bytes(publicKey.PublicKey);
    expect(execFileSync('openssl', ['asn1parse', '-inform', 'DER'], { input: spki }).toString()).toContain(oid);
    const raw = spki.subarray(spki.length - (dsa.lengths.publicKey ?? 0));

    const message = randomBytes(4096);
    const signature = bytes(call(vault, 'Sign', { KeyId: keyId, Message: b64(message), SigningAlgorithm: 'ML_DSA_SHAKE_256' }).Signature);
    expect(signature).toHaveLength(signatureBytes);
    expect(dsa.verify(signature, message, raw)).toBe(true);
    const external = bytes(call(vault, 'Sign', { KeyId: keyId, Message: b64(mu(raw, message)), MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'ML_DSA_SHAKE_256' }).Signature);
    expect(dsa.verify(external, message, raw)).toBe(true);

    for (const [type, given] of [['RAW', message], ['EXTERNAL_MU', mu(raw, message)]] as const) {
      for (const made of [signature, external]) {
        expect(call(vault, 'Verify', { KeyId: keyId, Message: b64(given), MessageType: type, Signature: b64(made), SigningAlgorithm: 'ML_DSA_SHAKE_256' }).SignatureValid).toBe(true);
      }
    }
    const changed = Buffer.from(signature);
    changed[100] = (changed[100] ?? 0) ^ 1;
    expect(failure(vault, 'Verify', { KeyId: keyId, Message: b64(message), Signature: b64(changed), SigningAlgorithm: 'ML_DSA_SHAKE_256' })).toMatch(/^KMSInvalidSignatureException/);
  });
});

describe('ML-DSA refusals', () => {
  it('takes RAW or a 64-byte EXTERNAL_MU, never a DIGEST; EXTERNAL_MU is ML-DSA’s alone; ML-DSA keys only sign', () => {
    const keyId = call(vault, 'CreateKey', { KeySpec: 'ML_DSA_65', KeyUsage: 'SIGN_VERIFY' }).KeyMetadata?.KeyId;
    const sign = (extra: Record<string, unknown>): string => failure(vault, 'Sign', { KeyId: keyId, Message: b64(Buffer.alloc(64)), SigningAlgorithm: 'ML_DSA_SHAKE_256', ...extra });
    expect(sign({ MessageType: 'DIGEST' })).toMatch(/^ValidationException: .*not DIGEST/);
    expect(sign({ MessageType: 'EXTERNAL_MU', Message: b64(Buffer.alloc(32)) })).toMatch(/^ValidationException: .*64-byte/);
    expect(sign({ SigningAlgorithm: 'ECDSA_SHA_256' })).toMatch(/^InvalidKeyUsageException/);
    expect(failure(vault, 'CreateKey', { KeySpec: 'ML_DSA_44', KeyUsage: 'ENCRYPT_DECRYPT' })).toMatch(/^ValidationException/);
    expect(failure(vault, 'EnableKeyRotation', { KeyId: keyId })).toMatch(/^UnsupportedOperationException/);
  });
});
