// Signatures, MACs and key agreement through the whole pipeline (audit on), next to the raw primitive each is built on.
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { sm2 } from 'sm-crypto-v2';
import { signWithTokenKey, verifyWithTokenKey } from '../../src-main/hsm/tokenKeyPairs';
import type { TokenSession } from '../../src-main/hsm/token';
import { objectIdOf } from '../../src-main/kms/engine/tokenKeys';
import type { OperationName } from '../../src-shared/kms/shapes.generated';
import { compare } from './measure';

type Kms = (name: OperationName, request: unknown) => unknown;
type Raw = () => unknown;

const message = randomBytes(1024);
const b64 = message.toString('base64');
const sha = (hash: string): Buffer => createHash(hash).update(message).digest();

/** A raw signer and verifier on a key in memory, for one key spec. */
function rawPair(spec: string): { sign: Raw; verify: Raw; name: string } {
  const noble = (curve: typeof p256, hash: string, name: string) => {
    const scalar = curve.utils.randomSecretKey();
    const point = curve.getPublicKey(scalar, false);
    const signature = curve.sign(sha(hash), scalar, { prehash: false, format: 'der' });
    return { name, sign: () => curve.sign(sha(hash), scalar, { prehash: false, format: 'der' }), verify: () => curve.verify(signature, sha(hash), point, { prehash: false, format: 'der', lowS: false }) };
  };
  if (spec === 'ECC_NIST_P256') return noble(p256, 'sha256', 'noble p256');
  if (spec === 'ECC_NIST_P384') return noble(p384, 'sha384', 'noble p384');
  if (spec === 'ECC_NIST_P521') return noble(p521, 'sha512', 'noble p521');
  if (spec === 'ECC_SECG_P256K1') return noble(secp256k1, 'sha256', 'noble secp256k1');
  if (spec.startsWith('RSA_')) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: Number(spec.slice(4)) });
    const signature = sign('sha256', message, { key: privateKey, padding: 6, saltLength: 32 });
    return { name: 'crypto.sign (PSS)', sign: () => sign('sha256', message, { key: privateKey, padding: 6, saltLength: 32 }), verify: () => verify('sha256', message, { key: publicKey, padding: 6, saltLength: 32 }, signature) };
  }
  if (spec === 'ECC_NIST_EDWARDS25519') {
    const seed = ed25519.utils.randomSecretKey();
    const signature = ed25519.sign(message, seed);
    const point = ed25519.getPublicKey(seed);
    return { name: 'noble ed25519', sign: () => ed25519.sign(message, seed), verify: () => ed25519.verify(signature, message, point) };
  }
  if (spec === 'ML_DSA_65') {
    const keys = ml_dsa65.keygen();
    const signature = ml_dsa65.sign(message, keys.secretKey);
    return { name: 'noble ml_dsa65', sign: () => ml_dsa65.sign(message, keys.secretKey), verify: () => ml_dsa65.verify(signature, message, keys.publicKey) };
  }
  const keys = sm2.generateKeyPairHex();
  const signature = sm2.doSignature(message, keys.privateKey, { der: true, hash: true, publicKey: keys.publicKey });
  return { name: 'sm-crypto-v2 sm2', sign: () => sm2.doSignature(message, keys.privateKey, { der: true, hash: true, publicKey: keys.publicKey }), verify: () => sm2.doVerifySignature(message, signature, keys.publicKey, { der: true, hash: true }) };
}

/** Each signing spec with the algorithm measured. */
const SIGNING: readonly (readonly [string, string])[] = [
  ['ECC_NIST_P256', 'ECDSA_SHA_256'],
  ['ECC_NIST_P384', 'ECDSA_SHA_384'],
  ['ECC_NIST_P521', 'ECDSA_SHA_512'],
  ['ECC_SECG_P256K1', 'ECDSA_SHA_256'],
  ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512'],
  ['RSA_2048', 'RSASSA_PSS_SHA_256'],
  ['RSA_3072', 'RSASSA_PSS_SHA_256'],
  ['RSA_4096', 'RSASSA_PSS_SHA_256'],
  ['ML_DSA_65', 'ML_DSA_SHAKE_256'],
  ['SM2', 'SM2DSA'],
];

/** Prints Sign and Verify per spec, GenerateMac and DeriveSharedSecret next to @noble, node:crypto and sm-crypto-v2 doing the same work on a key in memory; then keys on the vault's token next to the token's own C_Sign and C_Verify. */
export function benchAsymmetric(kms: Kms, settle: () => void, withSession: <T>(use: (session: TokenSession) => T) => T, tokenUri: string): void {
  console.log('\nSignatures, MACs and key agreement (private keys unwrapped for each call; HMAC keys cached while unlocked):');
  const keyOf = (request: Record<string, unknown>): string => (kms('CreateKey', request) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  for (const [spec, algorithm] of SIGNING) {
    const keyId = keyOf({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
    const raw = rawPair(spec);
    const slow = spec.startsWith('RSA_') || spec === 'ML_DSA_65' ? { ms: 200, settle } : { settle };
    const { Signature } = kms('Sign', { KeyId: keyId, Message: b64, SigningAlgorithm: algorithm }) as { Signature: string };
    compare(`Sign ${spec}`, () => kms('Sign', { KeyId: keyId, Message: b64, SigningAlgorithm: algorithm }), { [`${raw.name} sign`]: raw.sign }, slow);
    compare(`Verify ${spec}`, () => kms('Verify', { KeyId: keyId, Message: b64, Signature, SigningAlgorithm: algorithm }), { [`${raw.name} verify`]: raw.verify }, slow);
  }

  const macKey = keyOf({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  const hmacKey = randomBytes(32);
  compare('GenerateMac HMAC-SHA-256', () => kms('GenerateMac', { KeyId: macKey, Message: b64, MacAlgorithm: 'HMAC_SHA_256' }), { createHmac: () => createHmac('sha256', hmacKey).update(message).digest() }, { settle });

  const agreementKey = keyOf({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
  const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const scalar = p256.utils.randomSecretKey();
  const peerPoint = p256.getPublicKey(p256.utils.randomSecretKey(), false);
  compare('DeriveSharedSecret P-256', () => kms('DeriveSharedSecret', { KeyId: agreementKey, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer }), { 'noble getSharedSecret': () => p256.getSharedSecret(scalar, peerPoint) }, { settle });

  console.log('\nKeys on the token (a custom key store on the vault\'s own token), next to the token\'s own C_Sign of the same key:');
  const { CustomKeyStoreId } = kms('CreateCustomKeyStore', { CustomKeyStoreName: 'bench', TrustAnchorCertificate: tokenUri }) as { CustomKeyStoreId: string };
  kms('ConnectCustomKeyStore', { CustomKeyStoreId });
  const onToken = (KeySpec: string, KeyUsage: string): string => keyOf({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId, KeySpec, KeyUsage });
  const cSign = (keyId: string, secret: boolean, mechanism: number, data: Buffer): Raw => () => withSession((session) => signWithTokenKey(session, objectIdOf(keyId), secret, { mechanism }, data));
  for (const [spec, algorithm, mechanism, data] of [
    ['ECC_NIST_P256', 'ECDSA_SHA_256', pkcs11js.CKM_ECDSA, sha('sha256')],
    ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', pkcs11js.CKM_SHA256_RSA_PKCS, message],
  ] as const) {
    const keyId = onToken(spec, 'SIGN_VERIFY');
    const { Signature } = kms('Sign', { KeyId: keyId, Message: b64, SigningAlgorithm: algorithm }) as { Signature: string };
    compare(`Sign ${spec} on the token`, () => kms('Sign', { KeyId: keyId, Message: b64, SigningAlgorithm: algorithm }), { C_Sign: cSign(keyId, false, mechanism, data) }, { ms: 200, settle });
    const rawSignature = withSession((session) => signWithTokenKey(session, objectIdOf(keyId), false, { mechanism }, data));
    const cVerify = (): unknown => withSession((session) => verifyWithTokenKey(session, objectIdOf(keyId), false, { mechanism }, data, rawSignature));
    compare(`Verify ${spec} on the token`, () => kms('Verify', { KeyId: keyId, Message: b64, Signature, SigningAlgorithm: algorithm }), { C_Verify: cVerify }, { ms: 200, settle });
  }
  const tokenMac = onToken('HMAC_256', 'GENERATE_VERIFY_MAC');
  compare('GenerateMac HMAC_256 on the token', () => kms('GenerateMac', { KeyId: tokenMac, Message: b64, MacAlgorithm: 'HMAC_SHA_256' }), { C_Sign: cSign(tokenMac, true, pkcs11js.CKM_SHA256_HMAC, message) }, { settle });
}
