import { GCM_IV_BYTES, GCM_TAG_BYTES } from './aesGcm';
import { XAES_NONCE_BYTES } from './xaes';

/**
 * The symmetric ciphertext blob, self-describing so that Decrypt needs no
 * KeyId (docs/ciphertext-format.md):
 *
 * | bytes | field |
 * | --- | --- |
 * | 1 | format version: 0x02 (0x01 is still read; 0x03 for keys on a token; 0x04 for multi-Region keys) |
 * | 16 | KMS key id (the UUID's bytes; a multi-Region key's 32 hex digits after `mrk-`) |
 * | 4 | key version (big-endian), the backing key that encrypted it |
 * | 24 | XAES-256-GCM nonce (versions 1 and 3: a 12-byte AES-GCM IV) |
 * | n | ciphertext |
 * | 16 | tag |
 *
 * The AAD is the 21-byte header followed by the canonical encryption context.
 */
export const BLOB_VERSION = 0x02;
/** The first format: AES-256-GCM straight under the backing key, with a random 96-bit IV. Read, no longer written. */
export const BLOB_VERSION_GCM = 0x01;
/** Keys on a token (a custom key store): AES-256-GCM done by the token, with a random 96-bit IV; the layout of version 1. */
export const BLOB_VERSION_TOKEN = 0x03;
/** Multi-Region keys (ids `mrk-` and 32 hex digits): the layout of version 2. */
export const BLOB_VERSION_MRK = 0x04;
export const HEADER_BYTES = 1 + 16 + 4;
export const BLOB_OVERHEAD = HEADER_BYTES + XAES_NONCE_BYTES + GCM_TAG_BYTES;
const SHORTEST = { [BLOB_VERSION]: BLOB_OVERHEAD, [BLOB_VERSION_GCM]: HEADER_BYTES + GCM_IV_BYTES + GCM_TAG_BYTES, [BLOB_VERSION_TOKEN]: HEADER_BYTES + GCM_IV_BYTES + GCM_TAG_BYTES, [BLOB_VERSION_MRK]: BLOB_OVERHEAD };
const MRK_PREFIX = 'mrk-';

export interface BlobHeader {
  /** The layout (a multi-Region key's blobs, 0x04, are read as version 2's). */
  format: typeof BLOB_VERSION | typeof BLOB_VERSION_GCM | typeof BLOB_VERSION_TOKEN;
  keyId: string;
  keyVersion: number;
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The 21-byte header of every blob one key version makes now (in `format`, by default the current one; a multi-Region key's in 0x04). */
export function blobHeader(keyId: string, keyVersion: number, format: typeof BLOB_VERSION | typeof BLOB_VERSION_TOKEN = BLOB_VERSION): Buffer {
  const out = Buffer.alloc(HEADER_BYTES);
  const multiRegion = keyId.startsWith(MRK_PREFIX);
  out[0] = multiRegion ? BLOB_VERSION_MRK : format;
  out.write(multiRegion ? keyId.slice(MRK_PREFIX.length) : keyId.replaceAll('-', ''), 1, 16, 'hex');
  out.writeUInt32BE(keyVersion, 17);
  return out;
}

/** The header of a blob, or undefined when it is not a Strongroom symmetric ciphertext. */
export function readHeader(blob: Buffer): BlobHeader | undefined {
  const format = blob[0];
  if ((format !== BLOB_VERSION && format !== BLOB_VERSION_GCM && format !== BLOB_VERSION_TOKEN && format !== BLOB_VERSION_MRK) || blob.length < SHORTEST[format]) return undefined;
  const id = blob.subarray(1, 17);
  if (format === BLOB_VERSION_MRK) return { format: BLOB_VERSION, keyId: `${MRK_PREFIX}${id.toString('hex')}`, keyVersion: blob.readUInt32BE(17) };
  return { format, keyId: uuidText(id), keyVersion: blob.readUInt32BE(17) };
}
