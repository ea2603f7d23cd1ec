import { createHash, randomBytes } from 'node:crypto';
import type { Chunks } from './byteReader';
import { headerTag, sealFrame } from './frames';
import { serializeHeaderBody, type EncryptedDataKey } from './header';
import { deriveKeys, MESSAGE_ID_BYTES, SUITES } from './suites';

/** Signs the SHA-384 digest of a whole message (header and body): the DER ECDSA P-384 signature. */
export type DigestSigner = (digest: Buffer) => Promise<Buffer>;

export interface EncryptPlan {
  /** The data key (32 bytes); zero-filled by the caller once the message is written. */
  readonly dataKey: Buffer;
  readonly dataKeys: readonly EncryptedDataKey[];
  /** The encryption context, with aws-crypto-public-key when signed. */
  readonly context: Readonly<Record<string, string>>;
  readonly frameLength: number;
  /** Signs the message (suite 0x0578); none for an unsigned one (0x0478). */
  readonly signer?: DigestSigner;
}

/** The default frame length: 64 KiB of plaintext a frame (the SDK's is 4 KiB; larger frames cost less per byte, and any length opens everywhere). */
export const DEFAULT_FRAME_LENGTH = 64 * 1024;

/**
 * A message of the Encryption SDK's format 2.0 of what `source` yields,
 * chunk by chunk, holding at most a frame of plaintext at a time: the
 * header, the frames (the last holding what is left, up to a whole frame),
 * and, when signed, the footer with the signature over all of them.
 */
export async function* encryptMessage(plan: EncryptPlan, source: Chunks): AsyncGenerator<Buffer> {
  const suite = plan.signer === undefined ? SUITES.committed : SUITES.committedSigned;
  const messageId = randomBytes(MESSAGE_ID_BYTES);
  const { key, commitment } = deriveKeys(plan.dataKey, messageId, suite);
  const digest = plan.signer === undefined ? undefined : createHash('sha384');
  const emit = (bytes: Buffer): Buffer => {
    digest?.update(bytes);
    return bytes;
  };
  try {
    const body = serializeHeaderBody({ suite, messageId, context: plan.context, dataKeys: plan.dataKeys, frameLength: plan.frameLength, commitment });
    yield emit(Buffer.concat([body, headerTag(key, body)]));
    let pending = Buffer.alloc(0);
    let sequence = 1;
    for await (const chunk of source) {
      pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, Buffer.from(chunk)]);
      let at = 0;
      while (pending.length - at > plan.frameLength) {
        yield emit(sealFrame(key, messageId, sequence, pending.subarray(at, at + plan.frameLength), false));
        sequence += 1;
        at += plan.frameLength;
      }
      pending = pending.subarray(at);
    }
    yield emit(sealFrame(key, messageId, sequence, pending, true));
    if (plan.signer !== undefined && digest !== undefined) {
      const signature = await plan.signer(digest.digest());
      const length = Buffer.alloc(2);
      length.writeUInt16BE(signature.length);
      yield Buffer.concat([length, signature]);
    }
  } finally {
    key.fill(0);
  }
}
