import type { CoreOperationName } from '../../src-shared/kms/extensions';
import { KmsError } from '../../src-shared/errors';
import { ageDecrypt, AGE_HEADER, isAgeFile, VaultAgeIdentity } from '../envelope/ageFiles';
import type { Chunks } from '../envelope/byteReader';
import { decryptMessage, itemsAndResult } from '../envelope/decryptMessage';
import { fingerprint } from '../envelope/fingerprint';
import { nameRecipients, openDataKey, vaultPublicKeys, type KmsCall, type VaultPublicKeys } from '../envelope/recipients';
import { ownContext } from '../envelope/signing';

/** Runs `work` with the vault's operations (the CLI opens the vault only then; `firstOperation` names the call a refused caller is recorded under). */
export type WithKms = <T>(firstOperation: CoreOperationName, work: (kms: KmsCall) => Promise<T>) => Promise<T>;

/** What opening a file found: its format, whom it was made for, who signed it, its encryption context. */
export interface OpenedFile {
  readonly Format: 'age' | 'aws-encryption-sdk';
  readonly EncryptedFor?: string[];
  readonly SignedBy?: string;
  readonly EncryptionContext?: Record<string, string>;
}

/** The first `length` bytes of `chunks` (fewer if it is shorter), and all of it again, to read from the start. */
export async function peek(chunks: Chunks, length: number): Promise<{ start: Buffer; all: Chunks }> {
  const iterator = (async function* each() {
    yield* chunks;
  })();
  const taken: Buffer[] = [];
  let held = 0;
  while (held < length) {
    const next = await iterator.next();
    if (next.done === true) break;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : Buffer.from(next.value);
    taken.push(chunk);
    held += chunk.length;
  }
  const start = Buffer.concat(taken);
  async function* all(): AsyncGenerator<Buffer> {
    if (start.length > 0) yield start;
    for await (const chunk of { [Symbol.asyncIterator]: () => iterator }) yield typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
  }
  return { start: start.subarray(0, length), all: all() };
}

/** The name of the key that signed a message: a signing key of the vault, or the public key's fingerprint. */
async function signerName(keys: VaultPublicKeys, spki: Buffer): Promise<string> {
  const signer = (await keys()).find((key) => key.keyUsage === 'SIGN_VERIFY' && key.publicKey === spki.toString('base64'));
  return signer?.arn ?? `a key not in this vault, ${fingerprint(spki)}`;
}

/**
 * Opens a file, whichever format it has, and hands its plaintext to
 * `write` (which keeps it only once all of it has been checked): an age
 * file with `identities` (AGE-SECRET-KEY-…) when given, without the vault,
 * else with the vault's age identities; an Encryption SDK message with the
 * vault's keys. Says what it found.
 */
export async function openFile(source: Chunks, write: (plaintext: AsyncIterable<Buffer>) => Promise<void>, withKms: WithKms, identities?: readonly string[]): Promise<OpenedFile> {
  const { start, all } = await peek(source, AGE_HEADER.length);
  if (isAgeFile(start) && identities !== undefined) {
    await write(ageDecrypt(identities, all));
    return { Format: 'age' };
  }
  if (isAgeFile(start)) {
    return withKms('UnwrapAgeFileKey', async (kms) => {
      const identity = new VaultAgeIdentity(kms);
      await write(ageDecrypt([identity], all));
      return { Format: 'age', EncryptedFor: identity.opened === undefined ? [] : [`${identity.opened.Name} (age identity ${identity.opened.Recipient})`] };
    });
  }
  return withKms('Decrypt', async (kms) => {
    const keys = vaultPublicKeys(kms);
    const { items, result } = itemsAndResult(decryptMessage(all, (header) => openDataKey(kms, header, keys)));
    await write(items);
    const opened = result();
    if (opened === undefined) throw new KmsError('InvalidCiphertextException', 'The message did not end where it should.');
    return {
      Format: 'aws-encryption-sdk',
      EncryptionContext: ownContext(opened.header.context),
      EncryptedFor: await nameRecipients(kms, opened.header.dataKeys, keys),
      SignedBy: opened.signerPublicKey === undefined ? 'nobody (the file is not signed)' : await signerName(keys, opened.signerPublicKey),
    };
  });
}
