import { createHash, createPublicKey } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { KmsError } from '../../src-shared/errors';
import { rootObjectId } from './rootOfTrust';
import { hasMechanism } from './rootOfTrust/probe';
import type { TokenSession } from './token';

/**
 * How the audit key signs: ECDSA on P-256 over a SHA-256 digest computed
 * here (CKM_ECDSA: SoftHSM2 has no CKM_ECDSA_SHA256), or, on a token without
 * EC, RSA 2048 PKCS#1 v1.5 over a SHA-256 DigestInfo (CKM_RSA_PKCS). Either
 * way the signature is what `openssl dgst -sha256 -verify` checks.
 */
export type AuditKeyMechanism = 'ecdsa-p256-sha256' | 'rsa-pkcs1-sha256';

/** An audit signing key pair generated on the token: where it is, and its public half. */
export interface AuditKey {
  mechanism: AuditKeyMechanism;
  objectId: Buffer;
  /** SubjectPublicKeyInfo, DER. */
  publicKey: Buffer;
}

/** prime256v1 (1.2.840.10045.3.1.7), DER: CKA_EC_PARAMS of a P-256 key. */
const P256_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');
/** The DER DigestInfo prefix of a SHA-256 digest (RFC 8017, 9.2). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** The token object id of a vault's audit key: its root-of-trust key's id (the vault UUID's 16 bytes), then "audit". */
export function auditObjectId(rootId: Buffer): Buffer {
  return Buffer.concat([rootId, Buffer.from('audit')]);
}

/** The mechanism this token signs audit checkpoints with: ECDSA P-256 where it offers it, RSA PKCS#1 otherwise (C_GetMechanismInfo). */
export function auditKeyMechanism(session: TokenSession): AuditKeyMechanism {
  if (hasMechanism(session, pkcs11js.CKM_EC_KEY_PAIR_GEN, pkcs11js.CKF_GENERATE_KEY_PAIR) && hasMechanism(session, pkcs11js.CKM_ECDSA, pkcs11js.CKF_SIGN)) return 'ecdsa-p256-sha256';
  if (hasMechanism(session, pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN, pkcs11js.CKF_GENERATE_KEY_PAIR) && hasMechanism(session, pkcs11js.CKM_RSA_PKCS, pkcs11js.CKF_SIGN)) return 'rsa-pkcs1-sha256';
  throw new KmsError('MechanismNotSupportedException', `The token "${session.token.label}" can sign with neither ECDSA P-256 nor RSA PKCS#1, so it cannot hold the vault's audit key.`);
}

/**
 * Generates the vault's audit signing key pair on the token: the private
 * half a token object, private, sensitive, never extractable, usable only
 * to sign; returns its public half.
 */
export function createAuditKey(session: TokenSession, vaultId: string, mechanism: AuditKeyMechanism = auditKeyMechanism(session)): AuditKey {
  const objectId = auditObjectId(rootObjectId(vaultId));
  const label = `strongroom audit ${vaultId}`;
  const common = [
    { type: pkcs11js.CKA_ID, value: objectId },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_TOKEN, value: true },
  ];
  const ec = mechanism === 'ecdsa-p256-sha256';
  const pair = session.call('creating the audit signing key', (lib, handle) =>
    lib.C_GenerateKeyPair(
      handle,
      { mechanism: ec ? pkcs11js.CKM_EC_KEY_PAIR_GEN : pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
      [
        ...common,
        { type: pkcs11js.CKA_VERIFY, value: true },
        { type: pkcs11js.CKA_ENCRYPT, value: false },
        { type: pkcs11js.CKA_WRAP, value: false },
        ...(ec ? [{ type: pkcs11js.CKA_EC_PARAMS, value: P256_PARAMS }] : [{ type: pkcs11js.CKA_MODULUS_BITS, value: 2048 }, { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }]),
      ],
      [
        ...common,
        { type: pkcs11js.CKA_PRIVATE, value: true },
        { type: pkcs11js.CKA_SENSITIVE, value: true },
        { type: pkcs11js.CKA_EXTRACTABLE, value: false },
        { type: pkcs11js.CKA_SIGN, value: true },
        { type: pkcs11js.CKA_DECRYPT, value: false },
        { type: pkcs11js.CKA_UNWRAP, value: false },
        { type: pkcs11js.CKA_DERIVE, value: false },
      ],
    ),
  );
  return { mechanism, objectId, publicKey: readPublicKey(session, pair.publicKey, ec) };
}

/** The public key object's key as SubjectPublicKeyInfo DER. */
function readPublicKey(session: TokenSession, handle: pkcs11js.Handle, ec: boolean): Buffer {
  const attributes = ec ? [{ type: pkcs11js.CKA_EC_POINT }] : [{ type: pkcs11js.CKA_MODULUS }, { type: pkcs11js.CKA_PUBLIC_EXPONENT }];
  const [first, second] = session.call('reading the audit public key', (lib, h) => lib.C_GetAttributeValue(h, handle, attributes).map((a) => a.value));
  if (first === undefined) throw new KmsError('KMSInternalException', 'The token returned no audit public key.');
  const jwk = ec ? ecJwk(first) : { kty: 'RSA', n: first.toString('base64url'), e: (second ?? Buffer.alloc(0)).toString('base64url') };
  return createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
}

/** A P-256 CKA_EC_POINT (an uncompressed point, bare or, as PKCS#11 says, in a DER OCTET STRING) as a JWK. */
function ecJwk(ecPoint: Buffer): { kty: string; crv: string; x: string; y: string } {
  const point = ecPoint.length === 67 && ecPoint[0] === 0x04 && ecPoint[1] === 65 ? ecPoint.subarray(2) : ecPoint;
  if (point.length !== 65 || point[0] !== 0x04) throw new KmsError('KMSInternalException', 'The token returned an audit public key that is not an uncompressed P-256 point.');
  return { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
}

function findOne(session: TokenSession, template: pkcs11js.Template, what: string): pkcs11js.Handle | undefined {
  return session.findObjects(template, `looking for ${what}`)[0];
}

/** The vault's audit key as the token holds it (its public key object), or undefined when the token holds none. */
export function findAuditKey(session: TokenSession, vaultId: string): AuditKey | undefined {
  const objectId = auditObjectId(rootObjectId(vaultId));
  const handle = findOne(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }, { type: pkcs11js.CKA_ID, value: objectId }], 'the audit public key');
  if (handle === undefined) return undefined;
  const [type] = session.call('reading the audit public key', (lib, h) => lib.C_GetAttributeValue(h, handle, [{ type: pkcs11js.CKA_KEY_TYPE }]).map((a) => a.value));
  const ec = type !== undefined && (type.length === 8 ? Number(type.readBigUInt64LE(0)) : type.readUInt32LE(0)) === pkcs11js.CKK_EC; // a CK_ULONG, in the machine's order
  return { mechanism: ec ? 'ecdsa-p256-sha256' : 'rsa-pkcs1-sha256', objectId, publicKey: readPublicKey(session, handle, ec) };
}

/** Signs `data` (hashed here with SHA-256) with the audit key on the token; returns the signature as openssl reads it (DER for ECDSA). */
export function signOnToken(session: TokenSession, key: Pick<AuditKey, 'mechanism' | 'objectId'>, data: Buffer): Buffer {
  const handle = findOne(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: key.objectId }], 'the audit signing key');
  if (handle === undefined) throw new KmsError('RootOfTrustNotFoundException', `The token "${session.token.label}" does not hold this vault's audit signing key.`);
  const digest = createHash('sha256').update(data).digest();
  const ec = key.mechanism === 'ecdsa-p256-sha256';
  const signature = session.call('signing an audit checkpoint', (lib, h) => {
    lib.C_SignInit(h, { mechanism: ec ? pkcs11js.CKM_ECDSA : pkcs11js.CKM_RSA_PKCS }, handle);
    return lib.C_Sign(h, ec ? digest : Buffer.concat([SHA256_DIGEST_INFO, digest]), Buffer.alloc(512));
  });
  return ec ? ecdsaDer(signature) : Buffer.from(signature);
}

/** An ECDSA signature r ‖ s (as PKCS#11 returns it) in the DER form X9.62 and openssl use. */
function ecdsaDer(raw: Buffer): Buffer {
  const half = raw.length / 2;
  const integer = (bytes: Buffer): Buffer => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
    const trimmed = bytes.subarray(start);
    const body = (trimmed[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const body = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

const CHECKPOINT_APPLICATION = 'strongroom audit checkpoint';

function checkpointTemplate(vaultId: string): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_DATA },
    { type: pkcs11js.CKA_APPLICATION, value: CHECKPOINT_APPLICATION },
    { type: pkcs11js.CKA_LABEL, value: `strongroom audit checkpoint ${vaultId}` },
  ];
}

/** The checkpoints kept on the token for this vault (private data objects: reading them needs the PIN); normally one, two if a write was cut short. */
export function readTokenCheckpoints(session: TokenSession, vaultId: string): Buffer[] {
  return session.findObjects(checkpointTemplate(vaultId), 'looking for the audit checkpoint').flatMap((handle) =>
    session.call('reading the audit checkpoint', (lib, h) => lib.C_GetAttributeValue(h, handle, [{ type: pkcs11js.CKA_VALUE }]).map((a) => Buffer.from(a.value))),
  );
}

/**
 * Keeps `value` as this vault's checkpoint on the token: a private token
 * data object, which only a logged-in session can create or remove. Tokens
 * such as SoftHSM2 do not let a data object's value change, so the new one
 * is created first, then the ones before it removed.
 */
export function writeTokenCheckpoint(session: TokenSession, vaultId: string, value: Buffer): void {
  const before = session.findObjects(checkpointTemplate(vaultId), 'looking for the audit checkpoint');
  session.call('keeping the audit checkpoint on the token', (lib, h) => {
    lib.C_CreateObject(h, [
      ...checkpointTemplate(vaultId),
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_MODIFIABLE, value: false },
      { type: pkcs11js.CKA_VALUE, value },
    ]);
    for (const handle of before) lib.C_DestroyObject(h, handle);
  });
}
