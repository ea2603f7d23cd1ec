import { KmsError } from '../../src-shared/errors';
import { COMMITMENT_BYTES, isSuite, MESSAGE_ID_BYTES, type SuiteId } from './suites';

/** One encrypted data key: who can open it (provider id and info) and the key as it encrypted it. */
export interface EncryptedDataKey {
  readonly providerId: string;
  readonly providerInfo: Buffer;
  readonly ciphertext: Buffer;
}

/** The header body of a message in format 2.0, framed. */
export interface HeaderBody {
  readonly suite: SuiteId;
  readonly messageId: Buffer;
  readonly context: Readonly<Record<string, string>>;
  readonly dataKeys: readonly EncryptedDataKey[];
  readonly frameLength: number;
  readonly commitment: Buffer;
}

const VERSION = 0x02;
const FRAMED = 0x02;
const U16_MAX = 0xffff;

function u16(value: number, what: string): Buffer {
  if (value > U16_MAX) throw new KmsError('ValidationException', `${what} is ${String(value)} bytes; the format allows at most ${String(U16_MAX)}.`);
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}

/** A field with a two-byte length before it. */
function sized(bytes: Buffer, what: string): Buffer[] {
  return [u16(bytes.length, what), bytes];
}

/** The encryption context as the format serializes it: its pairs sorted by the UTF-8 bytes of their keys; nothing for an empty one. */
export function serializeContext(context: Readonly<Record<string, string>>): Buffer {
  const pairs = Object.entries(context).map(([key, value]) => [Buffer.from(key, 'utf8'), Buffer.from(value, 'utf8')] as const);
  if (pairs.length === 0) return Buffer.alloc(0);
  pairs.sort(([a], [b]) => Buffer.compare(a, b));
  return Buffer.concat([u16(pairs.length, 'The number of encryption context pairs'), ...pairs.flatMap(([key, value]) => [...sized(key, 'An encryption context key'), ...sized(value, 'An encryption context value')])]);
}

/** The header body's bytes. */
export function serializeHeaderBody(header: HeaderBody): Buffer {
  const suite = Buffer.alloc(2);
  suite.writeUInt16BE(header.suite);
  const frameLength = Buffer.alloc(4);
  frameLength.writeUInt32BE(header.frameLength);
  if (header.dataKeys.length === 0) throw new KmsError('ValidationException', 'A message needs at least one recipient.');
  return Buffer.concat([
    Buffer.from([VERSION]),
    suite,
    header.messageId,
    ...sized(serializeContext(header.context), 'The encryption context'),
    u16(header.dataKeys.length, 'The number of recipients'),
    ...header.dataKeys.flatMap((key) => [...sized(Buffer.from(key.providerId, 'utf8'), 'A key provider id'), ...sized(key.providerInfo, 'A key provider info'), ...sized(key.ciphertext, 'An encrypted data key')]),
    Buffer.from([FRAMED]),
    frameLength,
    header.commitment,
  ]);
}

/** Reads fields off the front of a buffer; `undefined` from {@link Reader.take} when the buffer ends first (more bytes are needed). */
class Reader {
  at = 0;
  constructor(private readonly bytes: Buffer) {}

  take(length: number): Buffer | undefined {
    if (this.at + length > this.bytes.length) return undefined;
    const taken = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return taken;
  }

  u8(): number | undefined {
    return this.take(1)?.readUInt8(0);
  }

  u16(): number | undefined {
    return this.take(2)?.readUInt16BE(0);
  }

  sized(): Buffer | undefined {
    const length = this.u16();
    return length === undefined ? undefined : this.take(length);
  }
}

class Short extends Error {}

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Short();
  return value;
}

/** The encryption context of its serialized form; KmsError (InvalidCiphertextException) for pairs out of order, repeated, or not UTF-8. */
export function parseContext(bytes: Buffer): Record<string, string> {
  const context: Record<string, string> = {};
  if (bytes.length === 0) return context;
  const reader = new Reader(bytes);
  try {
    const count = need(reader.u16());
    let previous: Buffer | undefined;
    for (let i = 0; i < count; i += 1) {
      const key = need(reader.sized());
      const value = need(reader.sized());
      if (previous !== undefined && Buffer.compare(previous, key) >= 0) throw new KmsError('InvalidCiphertextException', 'The encryption context in the header is not sorted, or repeats a key.');
      previous = key;
      Object.defineProperty(context, utf8(key), { value: utf8(value), enumerable: true, writable: true, configurable: true });
    }
  } catch (error) {
    if (error instanceof Short) throw new KmsError('InvalidCiphertextException', 'The encryption context in the header is cut short.');
    throw error;
  }
  if (reader.at !== bytes.length) throw new KmsError('InvalidCiphertextException', 'The encryption context in the header has bytes after its last pair.');
  return context;
}

function utf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new KmsError('InvalidCiphertextException', 'The header holds text that is not UTF-8.');
  }
}

/**
 * The header body at the start of `bytes` and how many bytes it took; or
 * undefined when `bytes` ends before it does. KmsError (InvalidCiphertextException) for a message
 * of another format, version or suite (naming what it is).
 */
export function parseHeaderBody(bytes: Buffer): { header: HeaderBody; length: number } | undefined {
  const reader = new Reader(bytes);
  try {
    const version = need(reader.u8());
    if (version === 0x01) throw new KmsError('InvalidCiphertextException', 'This is a message of the Encryption SDK format 1.0, without key commitment, which Strongroom does not open.');
    if (version !== VERSION) throw new KmsError('InvalidCiphertextException', 'This is not an Encryption SDK message (format 2.0): its first byte is not 0x02.');
    const suite = need(reader.u16());
    if (!isSuite(suite)) throw new KmsError('InvalidCiphertextException', `The message uses algorithm suite 0x${suite.toString(16).padStart(4, '0')}; Strongroom opens 0x0478 and 0x0578 (AES-256-GCM, HKDF-SHA512, key commitment).`);
    const messageId = Buffer.from(need(reader.take(MESSAGE_ID_BYTES)));
    const context = parseContext(need(reader.sized()));
    const count = need(reader.u16());
    if (count === 0) throw new KmsError('InvalidCiphertextException', 'The message has no encrypted data keys.');
    const dataKeys: EncryptedDataKey[] = [];
    for (let i = 0; i < count; i += 1) {
      const providerId = utf8(need(reader.sized()));
      dataKeys.push({ providerId, providerInfo: Buffer.from(need(reader.sized())), ciphertext: Buffer.from(need(reader.sized())) });
    }
    if (need(reader.u8()) !== FRAMED) throw new KmsError('InvalidCiphertextException', 'The message is not framed; Strongroom opens framed messages only.');
    const frameLength = need(reader.take(4)).readUInt32BE(0);
    if (frameLength === 0) throw new KmsError('InvalidCiphertextException', 'The message says its frames are 0 bytes long.');
    const commitment = Buffer.from(need(reader.take(COMMITMENT_BYTES)));
    return { header: { suite, messageId, context, dataKeys, frameLength, commitment }, length: reader.at };
  } catch (error) {
    if (error instanceof Short) return undefined;
    throw error;
  }
}
