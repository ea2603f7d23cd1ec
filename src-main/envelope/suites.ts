import { createHmac } from 'node:crypto';

/**
 * The two algorithm suites of the AWS Encryption SDK's message format 2.0
 * that Strongroom writes: AES-256-GCM with a data key derived by
 * HKDF-SHA512 and committed to (0x0478), and the same signed with ECDSA
 * P-384 and SHA-384 (0x0578). Both have 12-byte IVs and 16-byte tags.
 */
export const SUITES = {
  committed: 0x0478,
  committedSigned: 0x0578,
} as const;

export type SuiteId = (typeof SUITES)[keyof typeof SUITES];

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;
export const MESSAGE_ID_BYTES = 32;
export const COMMITMENT_BYTES = 32;

export function isSuite(id: number): id is SuiteId {
  return id === SUITES.committed || id === SUITES.committedSigned;
}

export function isSigned(suite: SuiteId): boolean {
  return suite === SUITES.committedSigned;
}

/** HKDF-SHA512's expand step, for one block (both outputs here are 32 bytes). */
function expandOne(prk: Buffer, info: Buffer): Buffer {
  return createHmac('sha512', prk).update(info).update(Buffer.from([1])).digest().subarray(0, 32);
}

/**
 * The message's encryption key and its commitment, from the data key, as
 * the format specifies: one HKDF-SHA512 extract with the message ID as salt,
 * then expand with info = suite ID ‖ "DERIVEKEY" (the key) and "COMMITKEY"
 * (the commitment, written in the header and checked in constant time).
 */
export function deriveKeys(dataKey: Buffer, messageId: Buffer, suite: SuiteId): { key: Buffer; commitment: Buffer } {
  const prk = createHmac('sha512', messageId).update(dataKey).digest();
  const suiteBytes = Buffer.alloc(2);
  suiteBytes.writeUInt16BE(suite);
  const key = expandOne(prk, Buffer.concat([suiteBytes, Buffer.from('DERIVEKEY', 'utf8')]));
  const commitment = expandOne(prk, Buffer.from('COMMITKEY', 'utf8'));
  prk.fill(0);
  return { key, commitment };
}
