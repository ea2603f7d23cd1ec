import { createCipheriv, createDecipheriv, createHmac, createPublicKey, diffieHellman, ECDH, generateKeyPairSync, timingSafeEqual, type JsonWebKey } from 'node:crypto';
import { KmsError } from '../../src-shared/errors';
import { randomFill } from '../crypto/random';
import { serializeContext, type EncryptedDataKey } from './header';

/**
 * An EC public key's encrypted data key, as the Encryption SDK's raw ECDH
 * keyring writes it (the Material Providers Library, scheme
 * EphemeralPrivateKeyToStaticPublicKey): a fresh ephemeral key pair on the
 * recipient's curve; Z, the ECDH shared secret; 64 bytes from NIST SP
 * 800-108's KDF in counter mode with HMAC-SHA384 over Z, FixedInfo and a
 * random 32-byte salt, the first half a commitment key, the second the
 * key that wraps the data key with AES-256-GCM (zero IV, FixedInfo as
 * AAD). The reader needs only DeriveSharedSecret of its KMS key with the
 * sender's public key.
 */
export const ECDH_PROVIDER = 'raw-ecdh';

/** The curves the keyring knows, by node's name: its curve spec string and JWK name. */
const CURVES: Readonly<Record<string, { readonly spec: string; readonly jwk: string; readonly bytes: number }>> = {
  prime256v1: { spec: 'p256', jwk: 'P-256', bytes: 32 },
  secp384r1: { spec: 'p384', jwk: 'P-384', bytes: 48 },
  secp521r1: { spec: 'p521', jwk: 'P-521', bytes: 66 },
};
const KEYRING_VERSION = 0x01;
const SALT_BYTES = 32;
const TAG_BYTES = 16;

/** An EC public key (DER SubjectPublicKeyInfo) as the keyring names it: its curve (node's name) and compressed point. */
export function compressedPoint(spki: Buffer): { curve: string; point: Buffer } {
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
  if (key.asymmetricKeyType !== 'ec' || CURVES[curve] === undefined) throw new KmsError('ValidationException', 'An EC public key recipient is on P-256, P-384 or P-521.');
  const { x, y } = key.export({ format: 'jwk' });
  const yBytes = Buffer.from(y ?? '', 'base64url');
  return { curve, point: Buffer.concat([Buffer.from([0x02 | ((yBytes.at(-1) ?? 0) & 1)]), Buffer.from(x ?? '', 'base64url')]) };
}

/** The SubjectPublicKeyInfo of a compressed point on `curve`; undefined when it is not a point of the curve. */
export function spkiOfPoint(curve: string, point: Buffer): Buffer | undefined {
  const named = CURVES[curve];
  if (named === undefined) return undefined;
  try {
    const full = ECDH.convertKey(point, curve, undefined, undefined, 'uncompressed') as Buffer;
    const jwk: JsonWebKey = { kty: 'EC', crv: named.jwk, x: full.subarray(1, 1 + named.bytes).toString('base64url'), y: full.subarray(1 + named.bytes).toString('base64url') };
    return createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
  } catch {
    return undefined;
  }
}

/** A 32-bit big-endian unsigned integer. */
function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

/** FixedInfo: "ecdh-key-derivation", the curve, "HMAC_SHA384", sender's then recipient's compressed keys, the keyring version, the canonical context; NUL between each. */
function fixedInfo(curve: string, sender: Buffer, recipient: Buffer, context: Readonly<Record<string, string>>): Buffer {
  const nul = Buffer.from([0]);
  return Buffer.concat([Buffer.from('ecdh-key-derivation'), nul, Buffer.from(CURVES[curve]?.spec ?? ''), nul, Buffer.from('HMAC_SHA384'), nul, sender, recipient, nul, Buffer.from([KEYRING_VERSION]), nul, serializeContext(context)]);
}

/** `bytes` of NIST SP 800-108's KDF in counter mode with HMAC-SHA384 as the PRF: blocks HMAC(key, i ‖ fixedInput), i a 32-bit counter from 1. */
export function kdfCounterSha384(key: Buffer, fixedInput: Buffer, bytes: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 1; blocks.length * 48 < bytes; i += 1) blocks.push(createHmac('sha384', key).update(u32(i)).update(fixedInput).digest());
  const all = Buffer.concat(blocks);
  const okm = Buffer.from(all.subarray(0, bytes));
  for (const block of [all, ...blocks]) block.fill(0);
  return okm;
}

/** The keyring's 64 bytes of keying material: the KDF over Z with FixedInfo ‖ 0x00 ‖ salt ‖ 512 (the length in bits). */
function derive(shared: Buffer, info: Buffer, salt: Buffer): Buffer {
  return kdfCounterSha384(shared, Buffer.concat([info, Buffer.from([0]), salt, u32(512)]), 64);
}

/** The encrypted data key of `dataKey` for the EC public key `spki`, bound to the message's context. */
export function sealForEcKey(spki: Buffer, dataKey: Buffer, context: Readonly<Record<string, string>>): EncryptedDataKey {
  const { curve, point: recipient } = compressedPoint(spki);
  const ephemeral = generateKeyPairSync('ec', { namedCurve: curve });
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }) });
  const sender = compressedPoint(ephemeral.publicKey.export({ type: 'spki', format: 'der' })).point;
  const info = fixedInfo(curve, sender, recipient, context);
  const salt = randomFill(Buffer.alloc(SALT_BYTES));
  const okm = derive(shared, info, salt);
  shared.fill(0);
  try {
    const cipher = createCipheriv('aes-256-gcm', okm.subarray(32), Buffer.alloc(12)).setAAD(info);
    const sealed = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    const providerInfo = Buffer.concat([Buffer.from([KEYRING_VERSION]), u32(recipient.length), recipient, u32(sender.length), sender]);
    return { providerId: ECDH_PROVIDER, providerInfo, ciphertext: Buffer.concat([salt, okm.subarray(0, 32), sealed, cipher.getAuthTag()]) };
  } finally {
    okm.fill(0);
  }
}

/** What a raw ECDH encrypted data key says of its keys: the recipient's and the sender's compressed points; undefined when it is not one. */
export function ecdhKeys(edk: EncryptedDataKey): { recipient: Buffer; sender: Buffer } | undefined {
  const info = edk.providerInfo;
  if (edk.providerId !== ECDH_PROVIDER || info.length < 9 || info[0] !== KEYRING_VERSION) return undefined;
  const recipientLength = info.readUInt32BE(1);
  const senderAt = 5 + recipientLength;
  if (info.length < senderAt + 4 || info.length !== senderAt + 4 + info.readUInt32BE(senderAt)) return undefined;
  return { recipient: info.subarray(5, senderAt), sender: info.subarray(senderAt + 4) };
}

/**
 * The data key of a raw ECDH encrypted data key, from Z (the shared secret
 * of the recipient's private key and the sender's public key); undefined
 * when the commitment key or the AES-GCM tag does not match (another key,
 * a changed context or data key).
 */
export function openEcdhDataKey(edk: EncryptedDataKey, curve: string, shared: Buffer, context: Readonly<Record<string, string>>): Buffer | undefined {
  const keys = ecdhKeys(edk);
  const { ciphertext } = edk;
  if (keys === undefined || ciphertext.length <= SALT_BYTES + 32 + TAG_BYTES) return undefined;
  const okm = derive(shared, fixedInfo(curve, keys.sender, keys.recipient, context), ciphertext.subarray(0, SALT_BYTES));
  try {
    if (!timingSafeEqual(okm.subarray(0, 32), ciphertext.subarray(SALT_BYTES, SALT_BYTES + 32))) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', okm.subarray(32), Buffer.alloc(12)).setAAD(fixedInfo(curve, keys.sender, keys.recipient, context));
    decipher.setAuthTag(ciphertext.subarray(-TAG_BYTES));
    return Buffer.concat([decipher.update(ciphertext.subarray(SALT_BYTES + 32, -TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  } finally {
    okm.fill(0);
  }
}
