// Signatures, MACs and key agreement through the whole pipeline (audit on), next to the raw primitive each is built on.
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import type { OperationName } from '../../src-shared/kms/shapes.generated';
import { compare } from './measure';

type Kms = (name: OperationName, request: unknown) => unknown;

/** Prints Sign, Verify, GenerateMac and DeriveSharedSecret next to @noble/curves and node:crypto doing the same work on a key in memory. */
export function benchAsymmetric(kms: Kms, settle: () => void): void {
  console.log('\nSignatures, MACs and key agreement (private keys unwrapped for each call; HMAC keys cached while unlocked):');
  const keyOf = (request: Record<string, unknown>): string => (kms('CreateKey', request) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  const message = randomBytes(1024);
  const b64 = message.toString('base64');
  const digest = createHash('sha256').update(message).digest();

  const ecdsaKey = keyOf({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  const scalar = p256.utils.randomSecretKey();
  const signature = (kms('Sign', { KeyId: ecdsaKey, Message: b64, SigningAlgorithm: 'ECDSA_SHA_256' }) as { Signature: string }).Signature;
  const rawSignature = p256.sign(digest, scalar, { prehash: false, format: 'der' });
  const point = p256.getPublicKey(scalar, false);
  compare('Sign ECDSA P-256', () => kms('Sign', { KeyId: ecdsaKey, Message: b64, SigningAlgorithm: 'ECDSA_SHA_256' }), { 'noble p256.sign': () => p256.sign(createHash('sha256').update(message).digest(), scalar, { prehash: false, format: 'der' }) }, { settle });
  compare('Verify ECDSA P-256', () => kms('Verify', { KeyId: ecdsaKey, Message: b64, Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256' }), { 'noble p256.verify': () => p256.verify(rawSignature, createHash('sha256').update(message).digest(), point, { prehash: false, format: 'der', lowS: false }) }, { settle });

  const edKey = keyOf({ KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' });
  const seed = ed25519.utils.randomSecretKey();
  compare('Sign Ed25519', () => kms('Sign', { KeyId: edKey, Message: b64, SigningAlgorithm: 'ED25519_SHA_512' }), { 'noble ed25519.sign': () => ed25519.sign(message, seed) }, { settle });

  const rsaKey = keyOf({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  compare('Sign RSA-PSS 2048', () => kms('Sign', { KeyId: rsaKey, Message: b64, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }), { 'crypto.sign': () => sign('sha256', message, { key: privateKey, padding: 6, saltLength: 32 }) }, { ms: 200, settle });

  const macKey = keyOf({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  const hmacKey = randomBytes(32);
  compare('GenerateMac HMAC-SHA-256', () => kms('GenerateMac', { KeyId: macKey, Message: b64, MacAlgorithm: 'HMAC_SHA_256' }), { createHmac: () => createHmac('sha256', hmacKey).update(message).digest() }, { settle });

  const agreementKey = keyOf({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
  const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const peerPoint = p256.getPublicKey(p256.utils.randomSecretKey(), false);
  compare('DeriveSharedSecret P-256', () => kms('DeriveSharedSecret', { KeyId: agreementKey, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer }), { 'noble getSharedSecret': () => p256.getSharedSecret(scalar, peerPoint) }, { settle });
}
