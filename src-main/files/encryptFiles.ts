import { ageEncrypt } from '../envelope/ageFiles';
import type { Chunks } from '../envelope/byteReader';
import { DataKeyCache, type CacheLimits } from '../envelope/dataKeyCache';
import { encryptMessage } from '../envelope/encryptMessage';
import type { FileEncryption } from '../envelope/plan';
import type { KmsCall } from '../envelope/recipients';
import type { Recipients } from './recipientsOf';

/** One file to encrypt: its bytes, its size when known, and where its result goes. */
export interface FileToEncrypt {
  readonly source: () => { chunks: Chunks; size: number | undefined };
  readonly write: (result: AsyncIterable<Buffer>, age: boolean) => Promise<void>;
}

/** How files are encrypted beside their recipients: the Encryption SDK message's context, signer, frame length, and the data key cache's limits (none: each file its own data key). */
export type MessageOptions = Omit<FileEncryption, 'recipients'> & { readonly cache?: CacheLimits };

/**
 * Encrypts each file in turn for `recipients`: an age file for age
 * recipients, else an Encryption SDK message, its data key from the cache
 * within its limits. Stops at the first failure (files already written
 * stay; the failed one leaves nothing).
 */
export async function encryptFiles(kms: KmsCall | undefined, recipients: Recipients, options: MessageOptions, files: readonly FileToEncrypt[]): Promise<void> {
  if ('age' in recipients) {
    for (const file of files) await file.write(ageEncrypt(recipients.age, file.source().chunks), true);
    return;
  }
  if (kms === undefined) throw new Error('An Encryption SDK message is made with the vault.');
  const { cache: limits, ...rest } = options;
  const cache = new DataKeyCache(kms, limits);
  try {
    for (const file of files) {
      const { chunks, size } = file.source();
      const { plan, done } = await cache.plan({ recipients: recipients.message, ...rest }, size);
      try {
        await file.write(encryptMessage(plan, chunks), false);
      } finally {
        done();
      }
    }
  } finally {
    cache.close();
  }
}
