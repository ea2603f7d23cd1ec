import { createHash, timingSafeEqual } from 'node:crypto';
import { KmsError } from '../../src-shared/errors';
import { ByteReader, type Chunks } from './byteReader';
import { FINAL_MARKER, frameIv, headerTag, openFrame } from './frames';
import { parseHeaderBody, type HeaderBody } from './header';
import { PUBLIC_KEY_CONTEXT, signerOfContext, verifyMessageSignature } from './signing';
import { deriveKeys, isSigned, IV_BYTES, TAG_BYTES } from './suites';

/** Finds the data key of a message from its header (its encrypted data keys and context); throws when none of them opens here. */
export type DataKeyFinder = (header: HeaderBody) => Promise<Buffer>;

/** What a decrypted message said about itself, once it has all been checked. */
export interface Opened {
  readonly header: HeaderBody;
  /** The SPKI (DER) of the key that signed it, for a signed message. */
  readonly signerPublicKey?: Buffer;
}

const MAX_HEADER_BYTES = 4 * 1024 * 1024;

/** The header of a message, read from `reader`, and its bytes. */
export async function readHeader(reader: ByteReader): Promise<{ header: HeaderBody; bytes: Buffer }> {
  for (let want = 4096; ; want *= 2) {
    const held = await reader.peek(want);
    const parsed = parseHeaderBody(held);
    if (parsed !== undefined) return { header: parsed.header, bytes: Buffer.from(await reader.read(parsed.length, 'the header')) };
    if (held.length < want) throw new KmsError('InvalidCiphertextException', held.length === 0 ? 'The file is empty.' : 'The file ends in the middle of its header: it was cut short, or is not an Encryption SDK message.');
    if (want > MAX_HEADER_BYTES) throw new KmsError('InvalidCiphertextException', 'The header is over 4 MB: this is not a message Strongroom wrote or opens.');
  }
}

/**
 * The plaintext of a message in `source`, frame by frame, each yielded only
 * once it has authenticated; the generator returns (after the last frame,
 * and the signature of a signed message) only when the whole message is
 * intact. Any failure (no key opens it, a changed byte, frames moved,
 * repeated or missing, the file cut short or followed by anything) is
 * InvalidCiphertextException naming what failed; a caller writes the
 * plaintext where no one takes it for the result until the generator has
 * returned.
 */
export async function* decryptMessage(source: Chunks, findDataKey: DataKeyFinder): AsyncGenerator<Buffer, Opened> {
  const reader = new ByteReader(source);
  const { header, bytes } = await readHeader(reader);
  const signed = isSigned(header.suite);
  if (signed !== (header.context[PUBLIC_KEY_CONTEXT] !== undefined)) throw new KmsError('InvalidCiphertextException', `The message's algorithm suite and its encryption context disagree about whether it is signed (${PUBLIC_KEY_CONTEXT}).`);
  const digest = signed ? createHash('sha384').update(bytes) : undefined;
  const tag = await reader.read(TAG_BYTES, 'the header');
  digest?.update(tag);
  const dataKey = await findDataKey(header);
  const { key, commitment } = deriveKeys(dataKey, header.messageId, header.suite);
  dataKey.fill(0);
  try {
    if (!timingSafeEqual(commitment, header.commitment)) throw new KmsError('InvalidCiphertextException', 'The data key does not match the key commitment in the header: the file was changed, or made to open differently for different recipients.');
    if (!timingSafeEqual(headerTag(key, bytes), tag)) throw new KmsError('InvalidCiphertextException', 'The header does not authenticate: it was changed.');
    for (let sequence = 1; ; sequence += 1) {
      const first = await reader.read(4, `frame ${String(sequence)}`);
      digest?.update(first);
      const final = first.readUInt32BE(0) === FINAL_MARKER;
      const head = final ? await reader.read(4 + IV_BYTES + 4, `frame ${String(sequence)}`) : await reader.read(IV_BYTES, `frame ${String(sequence)}`);
      digest?.update(head);
      const given = final ? head.readUInt32BE(0) : first.readUInt32BE(0);
      if (given !== sequence) throw new KmsError('InvalidCiphertextException', `Frame ${String(sequence)} is numbered ${String(given)}: frames were moved, repeated or left out.`);
      const iv = final ? head.subarray(4, 4 + IV_BYTES) : head;
      if (!iv.equals(frameIv(sequence))) throw new KmsError('InvalidCiphertextException', `Frame ${String(sequence)} has an IV other than its sequence number.`);
      const length = final ? head.readUInt32BE(4 + IV_BYTES) : header.frameLength;
      if (length > header.frameLength) throw new KmsError('InvalidCiphertextException', `The last frame says it holds ${String(length)} bytes, more than a frame (${String(header.frameLength)}).`);
      const content = await reader.read(length + TAG_BYTES, `frame ${String(sequence)}`);
      digest?.update(content);
      yield openFrame(key, header.messageId, sequence, content.subarray(0, length), content.subarray(length), final);
      if (final) break;
    }
    let signerPublicKey: Buffer | undefined;
    if (digest !== undefined) {
      const length = (await reader.read(2, 'the signature')).readUInt16BE(0);
      const signature = await reader.read(length, 'the signature');
      if (!verifyMessageSignature(header.context, digest.digest(), signature)) throw new KmsError('InvalidCiphertextException', 'The signature does not verify: the file was changed after it was signed.');
      signerPublicKey = signerOfContext(header.context);
    }
    if (!(await reader.atEnd())) throw new KmsError('InvalidCiphertextException', 'The file goes on after the end of the message: something was added to it.');
    return { header, ...(signerPublicKey === undefined ? {} : { signerPublicKey }) };
  } finally {
    key.fill(0);
  }
}

/** A generator's items, to hand to a writer, and its return value once they have all been taken (undefined before). */
export function itemsAndResult<T, R>(generator: AsyncGenerator<T, R>): { readonly items: AsyncIterable<T>; readonly result: () => R | undefined } {
  let result: R | undefined;
  async function* items(): AsyncGenerator<T> {
    for (;;) {
      const next = await generator.next();
      if (next.done === true) {
        result = next.value;
        return;
      }
      yield next.value;
    }
  }
  return { items: items(), result: () => result };
}
