import { createDecipheriv, hkdfSync } from 'node:crypto';
import { x25519 } from '@noble/curves/ed25519.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { base64nopad, bech32 } from '@scure/base';
import { KmsError } from '../../src-shared/errors';
import { randomFill } from '../crypto/random';
import { copyToSecret, secretBuffer } from '../crypto/secret';

/**
 * The age identities the vault keeps (age-encryption.org/v1): X25519
 * (`AGE-SECRET-KEY-1…`, recipient `age1…`) and the hybrid ML-KEM-768 +
 * X25519 (`AGE-SECRET-KEY-PQ-1…`, recipient `age1pq1…`). Each is a 32-byte
 * secret, which never leaves the core: files are opened by unwrapping the
 * file key of the stanza made for it, here.
 */
export type AgeIdentityKind = 'X25519' | 'MLKEM768X25519';

const PREFIX: Record<AgeIdentityKind, { secret: string; recipient: string }> = {
  X25519: { secret: 'AGE-SECRET-KEY-', recipient: 'age' },
  MLKEM768X25519: { secret: 'AGE-SECRET-KEY-PQ-', recipient: 'age1pq' },
};

/** One stanza of an age header: its arguments (the first names its type) and body. */
export interface AgeStanza {
  readonly args: readonly string[];
  readonly body: Uint8Array;
}

/** An identity's recipient string, from its secret. */
export function recipientOf(kind: AgeIdentityKind, secret: Buffer): string {
  if (kind === 'X25519') return bech32.encodeFromBytes(PREFIX.X25519.recipient, x25519.getPublicKey(secret));
  return bech32.encode(PREFIX.MLKEM768X25519.recipient, bech32.toWords(ml_kem768_x25519.getPublicKey(secret)), false); // longer than bech32's 90 characters, as age writes it
}

/** A new identity's secret (32 random bytes, in memory that is zeroed when dropped). */
export function newAgeSecret(): Buffer {
  return randomFill(secretBuffer(32));
}

/** The kind and secret of an identity as age-keygen writes it; ValidationException naming neither the text nor the secret. */
export function parseAgeIdentity(text: string): { kind: AgeIdentityKind; secret: Buffer } {
  const kind: AgeIdentityKind = text.startsWith(`${PREFIX.MLKEM768X25519.secret}1`) ? 'MLKEM768X25519' : 'X25519';
  try {
    const { prefix, bytes } = bech32.decodeToBytes(text);
    if (prefix.toUpperCase() === PREFIX[kind].secret && bytes.length === 32) return { kind, secret: copyToSecret(bytes) };
  } catch {
    // refused below, with the same words
  }
  throw new KmsError('ValidationException', 'An age identity is AGE-SECRET-KEY-1… (X25519) or AGE-SECRET-KEY-PQ-1… (ML-KEM-768 + X25519), as age-keygen writes it.');
}

/** HPKE's labelled HKDF steps (RFC 9180 §4), for suite `suiteId`. */
const labelled = (suiteId: Uint8Array) => {
  const text = (s: string): Buffer => Buffer.from(s, 'latin1');
  return {
    extract: (salt: Uint8Array | undefined, label: string, ikm: Uint8Array): Uint8Array => extract(sha256, Buffer.concat([text('HPKE-v1'), suiteId, text(label), ikm]), salt),
    expand: (prk: Uint8Array, label: string, info: Uint8Array, length: number): Uint8Array => {
      const size = Buffer.alloc(2);
      size.writeUInt16BE(length);
      return expand(sha256, prk, Buffer.concat([size, text('HPKE-v1'), suiteId, text(label), info]), length);
    },
  };
};

/** The key and nonce of a single-shot HPKE base-mode context: KEM MLKEM768-X25519 (0x647a), HKDF-SHA256, ChaCha20-Poly1305. */
function hpkeKeyAndNonce(sharedSecret: Uint8Array, info: string): { key: Uint8Array; nonce: Uint8Array } {
  const suiteId = Buffer.from([...Buffer.from('HPKE', 'latin1'), 0x64, 0x7a, 0x00, 0x01, 0x00, 0x03]);
  const { extract: labelledExtract, expand: labelledExpand } = labelled(suiteId);
  const empty = new Uint8Array(0);
  const context = Buffer.concat([Buffer.from([0]), labelledExtract(undefined, 'psk_id_hash', empty), labelledExtract(undefined, 'info_hash', Buffer.from(info, 'latin1'))]);
  const secret = labelledExtract(sharedSecret, 'secret', empty);
  return { key: labelledExpand(secret, 'key', context, 32), nonce: labelledExpand(secret, 'base_nonce', context, 12) };
}

/** ChaCha20-Poly1305 opening of a 16-byte file key and its tag; undefined when it does not authenticate. */
function openFileKey(key: Uint8Array, nonce: Uint8Array, body: Uint8Array): Buffer | undefined {
  if (body.length !== 32) return undefined;
  const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  decipher.setAuthTag(body.subarray(16));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, 16)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** The file key of an X25519 stanza (`-> X25519 <share>`) made for this identity, or undefined. */
function unwrapX25519(secret: Buffer, recipient: Uint8Array, stanza: AgeStanza): Buffer | undefined {
  const share = base64nopad.decode(stanza.args[1] ?? '');
  if (share.length !== 32) return undefined;
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(secret, share); // throws on an all-zero result (a low-order share)
  } catch {
    return undefined;
  }
  const key = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([share, recipient]), 'age-encryption.org/v1/X25519', 32));
  shared.fill(0);
  try {
    return openFileKey(key, new Uint8Array(12), stanza.body);
  } finally {
    key.fill(0);
  }
}

/** The file key of a hybrid stanza (`-> mlkem768x25519 <encapsulated key>`) made for this identity, or undefined. */
function unwrapHybrid(secret: Buffer, stanza: AgeStanza): Buffer | undefined {
  const encapsulated = base64nopad.decode(stanza.args[1] ?? '');
  if (encapsulated.length !== 1120) return undefined;
  const shared = ml_kem768_x25519.decapsulate(encapsulated, secret);
  const { key, nonce } = hpkeKeyAndNonce(shared, 'age-encryption.org/mlkem768x25519');
  shared.fill(0);
  try {
    return openFileKey(key, nonce, stanza.body);
  } finally {
    key.fill(0);
  }
}

/** The file key that one of the stanzas of an age header holds for this identity; undefined when none was made for it. */
export function unwrapAgeFileKey(kind: AgeIdentityKind, secret: Buffer, stanzas: readonly AgeStanza[]): Buffer | undefined {
  const type = kind === 'X25519' ? 'X25519' : 'mlkem768x25519';
  const recipient = kind === 'X25519' ? x25519.getPublicKey(secret) : undefined;
  for (const stanza of stanzas) {
    if (stanza.args[0] !== type || stanza.args.length !== 2) continue;
    let fileKey: Buffer | undefined;
    try {
      fileKey = recipient === undefined ? unwrapHybrid(secret, stanza) : unwrapX25519(secret, recipient, stanza);
    } catch {
      fileKey = undefined; // a malformed share: not a stanza for this identity
    }
    if (fileKey !== undefined) return fileKey;
  }
  return undefined;
}
