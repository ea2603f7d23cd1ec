// Project Wycheproof's vectors through the product's own signature, OAEP and ECDH code (src-main/crypto/asymmetric):
// every valid case must pass and every invalid one fail; 'acceptable' cases (legacy encodings) are left to the implementation.
import { createHash, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ecdh, ecdsaVerify, ecPoint, type EcdsaCurve } from '../../src-main/crypto/asymmetric/ec';
import { ed25519Verify } from '../../src-main/crypto/asymmetric/ed25519';
import { oaepDecrypt, rsaPublicKey, rsaVerify, type RsaHash } from '../../src-main/crypto/asymmetric/rsa';

interface Case {
  tcId: number;
  result: 'valid' | 'invalid' | 'acceptable';
  [field: string]: unknown;
}
interface Group {
  tests: Case[];
  [field: string]: unknown;
}

function vectors(name: string): Group[] {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'vectors', 'wycheproof', `${name}.json`), 'utf8')) as { testGroups: Group[] }).testGroups;
}

const hex = (value: unknown): Buffer => Buffer.from(String(value), 'hex');
const HASHES: Readonly<Record<string, RsaHash>> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const hashOf = (name: unknown): RsaHash => HASHES[String(name)] ?? 'sha256';

/** Runs each case that is not 'acceptable' through `outcome`, and returns the ids whose outcome differs from the vectors'. */
function mismatches(groups: Group[], outcome: (group: Group, test: Case) => boolean): number[] {
  const wrong: number[] = [];
  let checked = 0;
  for (const group of groups) {
    for (const test of group.tests) {
      if (test.result === 'acceptable') continue;
      checked += 1;
      if (outcome(group, test) !== (test.result === 'valid')) wrong.push(test.tcId);
    }
  }
  expect(checked).toBeGreaterThan(20);
  return wrong;
}

describe('Wycheproof', () => {
  it.each([
    ['ecdsa_secp256r1_sha256', 'P-256'],
    ['ecdsa_secp384r1_sha384', 'P-384'],
    ['ecdsa_secp521r1_sha512', 'P-521'],
    ['ecdsa_secp256k1_sha256', 'secp256k1'],
  ] as const)('%s: ECDSA verification (DER signatures) of the digest', (name, curve: EcdsaCurve) => {
    expect(mismatches(vectors(name), (group, test) => ecdsaVerify(curve, hex(group.point), createHash(hashOf(group.sha)).update(hex(test.msg)).digest(), hex(test.sig)))).toEqual([]);
  });

  it('ed25519: Ed25519 verification', () => {
    expect(mismatches(vectors('ed25519'), (group, test) => ed25519Verify(hex(group.pk), hex(test.msg), hex(test.sig), false))).toEqual([]);
  });

  it.each(['rsa_pss_2048_sha256_mgf1_32', 'rsa_pss_2048_sha384_mgf1_48', 'rsa_pss_4096_sha512_mgf1_64', 'rsa_signature_2048_sha256', 'rsa_signature_3072_sha384', 'rsa_signature_4096_sha512'])(
    '%s: RSA verification of the message, and of its digest (the EMSA encodings Strongroom does itself)',
    (name) => {
      const scheme = name.startsWith('rsa_pss') ? 'pss' : 'pkcs1';
      const check = (group: Group, test: Case, given: 'message' | 'digest'): boolean => {
        const hash = hashOf(group.sha) as Exclude<RsaHash, 'sha1'>;
        const key = rsaPublicKey(hex(group.publicKeyDer), Number(group.keySize));
        if (key === undefined) return false;
        const message = hex(test.msg);
        const input = given === 'message' ? { message } : { digest: createHash(hash).update(message).digest() };
        return rsaVerify(key, Number(group.keySize), scheme, hash, input, hex(test.sig));
      };
      expect(mismatches(vectors(name), (group, test) => check(group, test, 'message'))).toEqual([]);
      expect(mismatches(vectors(name), (group, test) => check(group, test, 'digest'))).toEqual([]);
    },
  );

  it.each(['rsa_oaep_2048_sha1_mgf1sha1', 'rsa_oaep_2048_sha256_mgf1sha256'])('%s: RSAES-OAEP decryption', (name) => {
    expect(
      mismatches(vectors(name), (group, test) => {
        const key = createPrivateKey({ key: hex(group.privateKeyPkcs8), format: 'der', type: 'pkcs8' });
        const plaintext = oaepDecrypt(key, hashOf(group.sha), hex(test.ct));
        return plaintext?.equals(hex(test.msg)) === true;
      }),
    ).toEqual([]);
  });

  it('ecdh_secp256r1: the peer key is checked to be on the curve, and the shared secret is right', () => {
    expect(
      mismatches(vectors('ecdh_secp256r1'), (_group, test) => {
        const point = ecPoint('P-256', hex(test.public));
        if (point === undefined) return false;
        const scalar = Buffer.concat([Buffer.alloc(32), hex(test.private)]); // the vectors' scalars are integers, some shorter than 32 bytes, some with a sign byte
        return ecdh('P-256', scalar.subarray(scalar.length - 32), point).equals(hex(test.shared));
      }),
    ).toEqual([]);
  });
});
