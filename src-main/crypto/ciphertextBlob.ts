import { GCM_IV_BYTES, GCM_TAG_BYTES } from './aesGcm';

/**
 * The symmetric ciphertext blob, self-describing so that Decrypt needs no KeyId:
 *
 * | bytes | field |
 * | --- | --- |
 * | 1 | format version, 0x01 |
 * | 16 | KMS key id (the UUID's bytes) |
 * | 4 | key version (big-endian), the backing key that encrypted it |
 * | 12 | AES-GCM IV |
 * | n | ciphertext |
 * | 16 | AES-GCM tag |
 *
 * The AAD is the 21-byte header followed by the canonical encryption context.
 */
export const BLOB_VERSION = 0x01;
export const HEADER_BYTES = 1 + 16 + 4;
export const BLOB_OVERHEAD = HEADER_BYTES + GCM_IV_BYTES + GCM_TAG_BYTES;

export interface BlobHeader {
  keyId: string;
  keyVersion: number;
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The 21-byte header of every blob one key version makes. */
export function blobHeader(header: BlobHeader): Buffer {
  const out = Buffer.alloc(HEADER_BYTES);
  out[0] = BLOB_VERSION;
  out.write(header.keyId.replaceAll('-', ''), 1, 16, 'hex');
  out.writeUInt32BE(header.keyVersion, 17);
  return out;
}

/** The header of a blob, or undefined when it is not a Strongroom symmetric ciphertext. */
export function readHeader(blob: Buffer): BlobHeader | undefined {
  if (blob.length < BLOB_OVERHEAD || blob[0] !== BLOB_VERSION) return undefined;
  return { keyId: uuidText(blob.subarray(1, 17)), keyVersion: blob.readUInt32BE(17) };
}
