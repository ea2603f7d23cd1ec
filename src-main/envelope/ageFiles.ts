import { Readable } from 'node:stream';
import { Decrypter, Encrypter, type Identity } from 'age-encryption';
import { KmsError } from '../../src-shared/errors';
import type { Chunks } from './byteReader';
import type { KmsCall } from './recipients';

/** The first line of every age file. */
export const AGE_HEADER = 'age-encryption.org/v1\n';

/** An age recipient as people pass them: X25519 (`age1…`) or hybrid ML-KEM-768 + X25519 (`age1pq1…`). */
export function isAgeRecipient(text: string): boolean {
  return /^age1(pq1)?[02-9ac-hj-np-z]{20,}$/.test(text);
}

/** Whether a file starts as an age file does. */
export function isAgeFile(start: Buffer): boolean {
  return start.subarray(0, AGE_HEADER.length).toString('latin1') === AGE_HEADER;
}

/** `chunks` as a web stream, which the age library reads. */
function webStream(chunks: Chunks): ReadableStream<Uint8Array> {
  const bytes = async function* bytes(): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  };
  return Readable.toWeb(Readable.from(bytes(), { objectMode: false })) as ReadableStream<Uint8Array>;
}

/** The age library's refusals (a wrong identity, a changed or cut file) as InvalidCiphertextException with its words. */
function refused(error: unknown): never {
  if (error instanceof KmsError) throw error;
  const reason = error instanceof Error ? error.message : String(error);
  throw new KmsError('InvalidCiphertextException', `The age file does not open: ${reason}.`);
}

/**
 * An age file (format v1, written by typage, the age-encryption package)
 * of what `source` yields, for each recipient, streamed: `age -d` opens it.
 */
export async function* ageEncrypt(recipients: readonly string[], source: Chunks): AsyncGenerator<Buffer> {
  const encrypter = new Encrypter();
  for (const recipient of recipients) {
    try {
      encrypter.addRecipient(recipient);
    } catch (error) {
      throw new KmsError('ValidationException', `${recipient.slice(0, 24)}… is not an age recipient: ${error instanceof Error ? error.message : String(error)}.`);
    }
  }
  for await (const chunk of await encrypter.encrypt(webStream(source))) yield Buffer.from(chunk);
}

/** The age identities of the vault, as one identity of the age library: the vault unwraps the file key (UnwrapAgeFileKey); `opened` names the identity that did. */
export class VaultAgeIdentity implements Identity {
  opened: { readonly Name: string; readonly Recipient: string } | undefined;

  constructor(private readonly kms: KmsCall) {}

  async unwrapFileKey(stanzas: { args: string[]; body: Uint8Array }[]): Promise<Uint8Array> {
    const { FileKey, Name, Recipient } = await this.kms('UnwrapAgeFileKey', { Stanzas: stanzas.map((stanza) => ({ Args: stanza.args, Body: Buffer.from(stanza.body).toString('base64') })) });
    this.opened = { Name: String(Name), Recipient: String(Recipient) };
    return Buffer.from(String(FileKey), 'base64');
  }
}

/**
 * The plaintext of an age file opened with one of `identities`
 * (`AGE-SECRET-KEY-1…`, `AGE-SECRET-KEY-PQ-1…`, or the vault's), chunk by
 * chunk as each authenticates; the generator ends only once the whole file
 * has.
 */
export async function* ageDecrypt(identities: readonly (string | Identity)[], source: Chunks): AsyncGenerator<Buffer> {
  if (identities.length === 0) throw new KmsError('InvalidCiphertextException', 'This is an age file: give the age identity that opens it.');
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  try {
    for await (const chunk of await decrypter.decrypt(webStream(source))) yield Buffer.from(chunk);
  } catch (error) {
    refused(error);
  }
}

/** The age identities in the text of an identity file (as age-keygen writes them: comments, then one identity a line). */
export function identitiesOf(text: string): string[] {
  const identities = text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  if (identities.length === 0 || identities.some((line) => !line.startsWith('AGE-SECRET-KEY-'))) throw new KmsError('ValidationException', 'An identity file holds age identities (AGE-SECRET-KEY-…), one a line, as age-keygen writes them.');
  return identities;
}
