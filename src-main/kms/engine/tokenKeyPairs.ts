import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { KmsError } from '../../../src-shared/errors';
import { ecdsaDerOfRaw, ecdsaRawOfDer, ecParameters, ecPoint, ecSpki, type Curve, type EcdsaCurve } from '../../crypto/asymmetric/ec';
import type { CachedPublicKey } from '../../crypto/asymmetric/publicKey';
import { digestInfo, hashBytes, oaepEncrypt, rsaSpkiOf } from '../../crypto/asymmetric/rsa';
import { decodeDerOctetString } from '../../crypto/asymmetric/der';
import type { OaepHash } from '../../hsm/rootOfTrust/rsaKeyPair';
import { destroyKeyOnToken, generateAesKeyOnToken, missingAesMechanisms } from '../../hsm/tokenKeys';
import { ecdhOnToken, generateOnToken, missingMechanisms, oaepDecryptWithTokenKey, publicKeyOnToken, signWithTokenKey, verifyWithTokenKey, type Need, type TokenKeyKind, type TokenKeyUse } from '../../hsm/tokenKeyPairs';
import type { TokenSession } from '../../hsm/token';
import { specOf, type KeySpecRow, type MacAlgorithm, type Usage } from '../keySpecs';
import type { AuthorizedKey, KmsContext } from '../pipeline/declaration';
import { parsedPublicKey } from './keyPairs';
import { schemeOf, signedInput, type SigningRequest } from './signing';
import { materialIdOf, objectIdOf, onToken } from './tokenKeys';

/**
 * KMS keys that live on a custom key store's token: every operation with
 * them runs on the token (C_Sign, C_Verify, C_DeriveKey; AES-GCM in
 * ./tokenKeys); only hashing a RAW message, and DER encodings, happen here.
 */

const need = (mechanism: number, flags: number, name: string): Need => ({ mechanism, flags, name });
const SIGN_VERIFY = pkcs11js.CKF_SIGN | pkcs11js.CKF_VERIFY;
const HMAC_MECHANISMS: Readonly<Record<number, readonly [number, string]>> = {
  28: [pkcs11js.CKM_SHA224_HMAC, 'CKM_SHA224_HMAC'],
  32: [pkcs11js.CKM_SHA256_HMAC, 'CKM_SHA256_HMAC'],
  48: [pkcs11js.CKM_SHA384_HMAC, 'CKM_SHA384_HMAC'],
  64: [pkcs11js.CKM_SHA512_HMAC, 'CKM_SHA512_HMAC'],
};

/** What a key of `spec` for `usage` is on a token, and the mechanisms it needs there; UnsupportedOperationException for what tokens do not hold here. */
function tokenForm(spec: KeySpecRow, usage: Usage): { kind: TokenKeyKind; use: TokenKeyUse; needs: Need[] } | undefined {
  const { material } = spec;
  if (material.kind === 'hmac') {
    const [mechanism, name] = HMAC_MECHANISMS[material.bytes] ?? [0, 'an HMAC mechanism'];
    return { kind: { kind: 'hmac', bytes: material.bytes }, use: 'sign', needs: [need(pkcs11js.CKM_GENERIC_SECRET_KEY_GEN, pkcs11js.CKF_GENERATE, 'CKM_GENERIC_SECRET_KEY_GEN'), need(mechanism, SIGN_VERIFY, name)] };
  }
  if (material.kind === 'rsa') {
    const generate = need(pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN, pkcs11js.CKF_GENERATE_KEY_PAIR, 'CKM_RSA_PKCS_KEY_PAIR_GEN');
    const kind: TokenKeyKind = { kind: 'rsa', bits: material.bits };
    if (usage === 'ENCRYPT_DECRYPT') return { kind, use: 'decrypt', needs: [generate, need(pkcs11js.CKM_RSA_PKCS_OAEP, pkcs11js.CKF_DECRYPT, 'CKM_RSA_PKCS_OAEP')] };
    return { kind, use: 'sign', needs: [generate, need(pkcs11js.CKM_RSA_PKCS, SIGN_VERIFY, 'CKM_RSA_PKCS'), need(pkcs11js.CKM_RSA_PKCS_PSS, SIGN_VERIFY, 'CKM_RSA_PKCS_PSS')] };
  }
  if (material.kind === 'ec' && material.curve !== 'SM2') {
    const generate = need(pkcs11js.CKM_EC_KEY_PAIR_GEN, pkcs11js.CKF_GENERATE_KEY_PAIR, 'CKM_EC_KEY_PAIR_GEN');
    const kind: TokenKeyKind = { kind: 'ec', params: ecParameters(material.curve) };
    if (usage === 'SIGN_VERIFY') return { kind, use: 'sign', needs: [generate, need(pkcs11js.CKM_ECDSA, SIGN_VERIFY, 'CKM_ECDSA')] };
    if (usage === 'KEY_AGREEMENT') return { kind, use: 'derive', needs: [generate, need(pkcs11js.CKM_ECDH1_DERIVE, pkcs11js.CKF_DERIVE, 'CKM_ECDH1_DERIVE')] };
  }
  return undefined;
}

/** Checks, before anything is made, that a custom key store holds keys of `spec` for `usage` (UnsupportedOperationException otherwise). */
export function checkTokenSpec(spec: KeySpecRow, usage: Usage): void {
  if (spec.material.kind === 'aes' || tokenForm(spec, usage) !== undefined) return;
  throw new KmsError(
    'UnsupportedOperationException',
    `A custom key store holds SYMMETRIC_DEFAULT, HMAC, RSA and ECC keys (NIST curves, secp256k1), not ${spec.spec} keys: ${UNHELD[spec.material.kind] ?? 'tokens have no mechanism for them'}.`,
  );
}

/** Why a token holds no key of a kind: the mechanism it would need. */
const UNHELD: Readonly<Record<string, string>> = {
  ed25519: 'their ED25519_PH_SHA_512 needs CKM_EDDSA with Ed25519ph parameters (CK_EDDSA_PARAMS), which the PKCS#11 binding here cannot pass and SoftHSM2 2.6 does not sign',
  mldsa: 'they need CKM_ML_DSA (PKCS#11 3.2), which no token here offers',
  ec: 'SM2 keys need SM2 mechanisms, which PKCS#11 does not define',
};

/**
 * Generates the key `keyId` of `spec` for `usage` on the token of
 * `session`, after checking the token offers every mechanism the key will
 * need (UnsupportedOperationException naming those it lacks); returns its
 * object id.
 */
export function createOnToken(session: TokenSession, keyId: string, spec: KeySpecRow, usage: Usage): Buffer {
  const objectId = objectIdOf(keyId);
  const label = `strongroom ${keyId}`;
  const form = tokenForm(spec, usage);
  const missing = form === undefined ? missingAesMechanisms(session) : missingMechanisms(session, form.needs);
  if (missing.length > 0) throw new KmsError('UnsupportedOperationException', `The token "${session.token.label}" lacks ${missing.join(' and ')}, which ${spec.spec} keys for ${usage} need.`);
  if (form === undefined) generateAesKeyOnToken(session, objectId, label);
  else generateOnToken(session, objectId, label, form.kind, form.use);
  if (form?.use === 'decrypt' && !decryptsOaep(session, objectId)) {
    destroyKeyOnToken(session, objectId);
    throw new KmsError('UnsupportedOperationException', `The token "${session.token.label}" does not decrypt RSAES-OAEP with both SHA-1 and SHA-256 (CKM_RSA_PKCS_OAEP), which ${spec.spec} keys for ENCRYPT_DECRYPT need.`);
  }
  return objectId;
}

/** Whether the token decrypts, with the new key `objectId`, what OAEP with SHA-1 and with SHA-256 encrypts to its public key (C_GetMechanismInfo cannot say which hashes OAEP takes). */
function decryptsOaep(session: TokenSession, objectId: Buffer): boolean {
  const found = publicKeyOnToken(session, objectId, 'rsa');
  if (!('modulus' in found)) return false;
  const publicKey = createPublicKey({ key: rsaSpkiOf(found.modulus, found.exponent), format: 'der', type: 'spki' });
  return (['sha1', 'sha256'] as const).every((hash) => {
    const probe = randomBytes(32);
    try {
      return oaepDecryptWithTokenKey(session, objectId, hash, oaepEncrypt(publicKey, hash, probe))?.equals(probe) === true;
    } catch (error) {
      if (error instanceof KmsError) return false; // the token refuses the parameters (SoftHSM2: CKR_ARGUMENTS_BAD for SHA-256)
      throw error;
    }
  });
}

const DIGESTS = { sha256: [pkcs11js.CKM_SHA256, pkcs11js.CKG_MGF1_SHA256], sha384: [pkcs11js.CKM_SHA384, pkcs11js.CKG_MGF1_SHA384], sha512: [pkcs11js.CKM_SHA512, pkcs11js.CKG_MGF1_SHA512] } as const;

/** The mechanism and bytes a token signs for a request, and the curve of an ECDSA key (whose signatures PKCS#11 gives as r ‖ s). */
function tokenSigning(key: AuthorizedKey, request: SigningRequest): { mechanism: pkcs11js.Mechanism; data: Buffer; curve?: EcdsaCurve } {
  const scheme = schemeOf(request.SigningAlgorithm);
  const { material } = specOf(key);
  if (scheme.family !== 'rsa' && scheme.family !== 'ecdsa') throw new KmsError('InvalidKeyUsageException', `${request.SigningAlgorithm} does not sign on a token.`);
  const input = signedInput(scheme, request);
  const digest = 'digest' in input ? input.digest : createHash(scheme.hash).update(input.message).digest();
  if (scheme.family === 'ecdsa' && material.kind === 'ec' && material.curve !== 'SM2') return { mechanism: { mechanism: pkcs11js.CKM_ECDSA }, data: digest, curve: material.curve };
  if (scheme.family === 'rsa' && scheme.padding === 'pkcs1') return { mechanism: { mechanism: pkcs11js.CKM_RSA_PKCS }, data: digestInfo(scheme.hash, digest) };
  if (scheme.family === 'rsa') {
    const [hashAlg, mgf] = DIGESTS[scheme.hash];
    const parameter: pkcs11js.RsaPSS = { type: pkcs11js.CK_PARAMS_RSA_PSS, hashAlg, mgf, saltLen: hashBytes(scheme.hash) };
    return { mechanism: { mechanism: pkcs11js.CKM_RSA_PKCS_PSS, parameter }, data: digest };
  }
  throw new KmsError('InvalidKeyUsageException', `${request.SigningAlgorithm} does not sign with a ${key.keySpec} key.`);
}

/** Sign with a key on a token: the signature in AWS's form (DER for ECDSA), and its KeyMaterialId. */
export function signOnToken(ctx: KmsContext, key: AuthorizedKey, request: SigningRequest): { signature: Buffer; materialId: string } {
  const { row, session } = onToken(ctx, key);
  const { mechanism, data, curve } = tokenSigning(key, request);
  const signature = signWithTokenKey(session, row.objectId, false, mechanism, data);
  return { signature: curve === undefined ? signature : ecdsaDerOfRaw(curve, signature), materialId: materialIdOf(row) };
}

/** Verify with a key on a token (C_Verify): whether the signature is good, and its KeyMaterialId. */
export function verifyOnToken(ctx: KmsContext, key: AuthorizedKey, request: SigningRequest, signature: Buffer): { valid: boolean; materialId: string } {
  const { row, session } = onToken(ctx, key);
  const { mechanism, data, curve } = tokenSigning(key, request);
  const given = curve === undefined ? signature : ecdsaRawOfDer(curve, signature);
  return { valid: given !== undefined && verifyWithTokenKey(session, row.objectId, false, mechanism, data, given), materialId: materialIdOf(row) };
}

function curveOfKey(key: AuthorizedKey): Curve | undefined {
  const { material } = specOf(key);
  return material.kind === 'ec' ? material.curve : undefined;
}

/** The public key of a key pair on a token, read from its public key object on first use and then cached by the key store. */
export function publicKeyOfTokenKey(ctx: KmsContext, key: AuthorizedKey): CachedPublicKey {
  return ctx.vault.store.publicKey(key.keyId, key.currentVersion, () => {
    const { row, session } = onToken(ctx, key);
    const curve = curveOfKey(key);
    const found = publicKeyOnToken(session, row.objectId, curve === undefined ? 'rsa' : 'ec');
    // PKCS#11 gives CKA_EC_POINT as a DER OCTET STRING; some tokens give the bare point.
    const der = 'modulus' in found ? rsaSpkiOf(found.modulus, found.exponent) : ecSpki(curve ?? 'P-256', decodeDerOctetString(found.ecPoint) ?? found.ecPoint);
    const parsed = parsedPublicKey(specOf(key).material, der);
    if (parsed === undefined) throw new KmsError('KMSInternalException', `The token gives a public key for ${ctx.vault.store.keyArn(key.keyId)} that is not a ${key.keySpec} key.`);
    return { der, key: parsed, materialId: materialIdOf(row) };
  });
}

/** RSAES-OAEP decryption by an RSA key on a token; undefined when the ciphertext does not decrypt. A secret buffer the caller zero-fills. */
export function oaepDecryptOnToken(ctx: KmsContext, key: AuthorizedKey, hash: OaepHash, ciphertext: Buffer): { plaintext: Buffer | undefined; materialId: string } {
  const { row, session } = onToken(ctx, key);
  return { plaintext: oaepDecryptWithTokenKey(session, row.objectId, hash, ciphertext), materialId: materialIdOf(row) };
}

/** The ECDH shared secret of a KEY_AGREEMENT key on a token and a peer's public key (DER SubjectPublicKeyInfo on its curve), derived on the token; a buffer the caller zero-fills. */
export function deriveOnToken(ctx: KmsContext, key: AuthorizedKey, peerSpki: Buffer): { shared: Buffer; materialId: string } {
  const curve = curveOfKey(key);
  const peer = curve === undefined ? undefined : ecPoint(curve, peerSpki);
  if (curve === undefined || peer === undefined) throw new KmsError('ValidationException', `PublicKey must be a DER SubjectPublicKeyInfo of a point on the curve of ${key.keySpec}.`);
  const { row, session } = onToken(ctx, key);
  return { shared: ecdhOnToken(session, row.objectId, Buffer.from(peer), (peer.length - 1) / 2), materialId: materialIdOf(row) };
}

function hmacMechanism(algorithm: MacAlgorithm): pkcs11js.Mechanism {
  const bytes = { HMAC_SHA_224: 28, HMAC_SHA_256: 32, HMAC_SHA_384: 48, HMAC_SHA_512: 64 }[algorithm];
  return { mechanism: HMAC_MECHANISMS[bytes]?.[0] ?? pkcs11js.CKM_SHA256_HMAC };
}

/** The HMAC of `message` by an HMAC key on a token (C_Sign), and its KeyMaterialId. */
export function macOnToken(ctx: KmsContext, key: AuthorizedKey, algorithm: MacAlgorithm, message: Buffer): { mac: Buffer; materialId: string } {
  const { row, session } = onToken(ctx, key);
  return { mac: signWithTokenKey(session, row.objectId, true, hmacMechanism(algorithm), message), materialId: materialIdOf(row) };
}

/** Whether `mac` is the HMAC of `message` by an HMAC key on a token (C_Verify), and its KeyMaterialId. */
export function macVerifiesOnToken(ctx: KmsContext, key: AuthorizedKey, algorithm: MacAlgorithm, message: Buffer, mac: Buffer): { valid: boolean; materialId: string } {
  const { row, session } = onToken(ctx, key);
  return { valid: verifyWithTokenKey(session, row.objectId, true, hmacMechanism(algorithm), message, mac), materialId: materialIdOf(row) };
}
