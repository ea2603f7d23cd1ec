import { createCipheriv, createDecipheriv } from 'node:crypto';
import { KmsError } from '../../src-shared/errors';
import { IV_BYTES } from './suites';

/** The marker before the final frame's sequence number. */
export const FINAL_MARKER = 0xffffffff;

const REGULAR = Buffer.from('AWSKMSEncryptionClient Frame', 'utf8');
const FINAL = Buffer.from('AWSKMSEncryptionClient Final Frame', 'utf8');

/** A frame's IV: its sequence number, padded on the left to 12 bytes. */
export function frameIv(sequence: number): Buffer {
  const iv = Buffer.alloc(IV_BYTES);
  iv.writeUInt32BE(sequence, IV_BYTES - 4);
  return iv;
}

/** A frame's AAD: message ID ‖ "AWSKMSEncryptionClient Frame" (or "… Final Frame") ‖ sequence number ‖ plaintext length (64-bit). */
function frameAad(messageId: Buffer, final: boolean, sequence: number, length: number): Buffer {
  const tail = Buffer.alloc(12);
  tail.writeUInt32BE(sequence, 0);
  tail.writeBigUInt64BE(BigInt(length), 4);
  return Buffer.concat([messageId, final ? FINAL : REGULAR, tail]);
}

/** The bytes of one frame: a regular one (sequence ‖ IV ‖ content ‖ tag) or the final one (marker ‖ sequence ‖ IV ‖ length ‖ content ‖ tag). */
export function sealFrame(key: Buffer, messageId: Buffer, sequence: number, plaintext: Buffer, final: boolean): Buffer {
  const iv = frameIv(sequence);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(frameAad(messageId, final, sequence, plaintext.length));
  const content = cipher.update(plaintext);
  cipher.final();
  const head = Buffer.alloc(final ? 12 : 4);
  if (final) {
    head.writeUInt32BE(FINAL_MARKER, 0);
    head.writeUInt32BE(sequence, 4);
    head.writeUInt32BE(plaintext.length, 8);
  } else head.writeUInt32BE(sequence, 0);
  return final ? Buffer.concat([head.subarray(0, 8), iv, head.subarray(8), content, cipher.getAuthTag()]) : Buffer.concat([head, iv, content, cipher.getAuthTag()]);
}

/** The plaintext of a frame's content; InvalidCiphertextException naming the frame when its tag does not match (a changed byte, a frame moved or from another message). */
export function openFrame(key: Buffer, messageId: Buffer, sequence: number, content: Buffer, tag: Buffer, final: boolean): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, frameIv(sequence));
  decipher.setAAD(frameAad(messageId, final, sequence, content.length));
  decipher.setAuthTag(tag);
  const plaintext = decipher.update(content);
  try {
    decipher.final();
  } catch {
    plaintext.fill(0);
    throw new KmsError('InvalidCiphertextException', `Frame ${String(sequence)}${final ? ' (the last)' : ''} does not authenticate: the file was changed, or its frames were moved.`);
  }
  return plaintext;
}

/** The header's authentication tag: AES-GCM of nothing, with the header body as AAD and an IV of zeros. */
export function headerTag(key: Buffer, headerBody: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.alloc(IV_BYTES));
  cipher.setAAD(headerBody);
  cipher.final();
  return cipher.getAuthTag();
}
