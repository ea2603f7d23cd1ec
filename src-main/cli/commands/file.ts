import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { Command } from 'commander';
import { KmsError } from '../../../src-shared/errors';
import { decryptMessage, itemsAndResult, readHeader } from '../../envelope/decryptMessage';
import { encryptMessage } from '../../envelope/encryptMessage';
import { ageDecrypt, ageEncrypt, AGE_HEADER, identitiesOf, isAgeFile, isAgeRecipient, VaultAgeIdentity } from '../../envelope/ageFiles';
import { ByteReader } from '../../envelope/byteReader';
import { DataKeyCache, type CacheLimits } from '../../envelope/dataKeyCache';
import { parseContactKey, type ContactKey } from '../../envelope/contactKeys';
import { fingerprint } from '../../envelope/fingerprint';
import { describeDataKey, nameRecipients, openDataKey, recipientOfKey, vaultPublicKeys, type KmsCall, type Recipient, type VaultPublicKeys } from '../../envelope/recipients';
import { isSigned } from '../../envelope/suites';
import { ownContext, signerOfContext } from '../../envelope/signing';
import type { GlobalOptions } from '../globalOptions';
import { input, keyFileText, output, peek, withProgress } from '../fileIo';
import { withKms } from '../kmsCalls';
import { printJson, UsageError } from '../output';
import { collect, contextOf, expandPath, integer } from '../requestOptions';

interface EncryptFlags {
  recipient: string[];
  context?: string[];
  sign?: string;
  frameLength?: string;
  output?: string;
  force?: boolean;
  cacheMaxAge?: string;
  cacheMaxMessages?: string;
  cacheMaxBytes?: string;
}

interface DecryptFlags {
  output?: string;
  force?: boolean;
  identity?: string[];
}

/** Who one --recipient names: an age recipient, or a recipient of an Encryption SDK message. */
type Resolved = { readonly age: string } | Recipient;

/** Refuses what an age file cannot have, or a mix of age recipients and others (they get files of different formats). */
function checkKinds(resolved: readonly Resolved[], flags: EncryptFlags): string[] | undefined {
  const age = resolved.flatMap((r) => ('age' in r ? [r.age] : []));
  if (age.length === 0) return undefined;
  if (age.length < resolved.length) throw new UsageError('age recipients get an age file, and keys and public keys an Encryption SDK message: encrypt for them in two files');
  if (flags.context !== undefined || flags.sign !== undefined || flags.frameLength !== undefined || flags.cacheMaxAge !== undefined) throw new UsageError('an age file has no encryption context, signature, frame length or data key to cache: leave out --context, --sign, --frame-length and --cache-max-age');
  return age;
}

/** The data key cache's limits the flags give: none (each file its own data key) without --cache-max-age. */
function cacheLimits(flags: EncryptFlags): CacheLimits | undefined {
  if (flags.cacheMaxAge === undefined) {
    if (flags.cacheMaxMessages !== undefined || flags.cacheMaxBytes !== undefined) throw new UsageError('--cache-max-messages and --cache-max-bytes limit the data key cache, which --cache-max-age turns on');
    return undefined;
  }
  const count = (value: string | undefined, name: string): number | undefined => (value === undefined ? undefined : integer(value, name));
  const maxMessages = count(flags.cacheMaxMessages, '--cache-max-messages');
  const maxBytes = count(flags.cacheMaxBytes, '--cache-max-bytes');
  return { maxAge: integer(flags.cacheMaxAge, '--cache-max-age'), ...(maxMessages === undefined ? {} : { maxMessages }), ...(maxBytes === undefined ? {} : { maxBytes }) };
}

/** A contact's kind and key, as ListContacts gives them (or a public key file, read as a contact's would be). */
type NamedKey = Pick<ContactKey, 'kind' | 'publicKey'>;

/** What a --recipient names, in this order: an age recipient, a public key file, a contact, a key of the vault. */
async function resolveRecipient(kms: KmsCall, given: string, contacts: () => Promise<Map<string, NamedKey>>): Promise<Resolved> {
  if (isAgeRecipient(given)) return { age: given };
  const text = keyFileText(given);
  const named = text === undefined ? (await contacts()).get(given.toLowerCase()) : keyInFile(given, text);
  if (named === undefined) return recipientOfKey(kms, given);
  if (named.kind === 'age') return { age: named.publicKey };
  return { kind: named.kind, spki: createPublicKey(named.publicKey).export({ type: 'spki', format: 'der' }) };
}

/** The public key of a recipient file: read as a contact's key is (an RSA or EC public key or certificate, PEM, DER or JWK, or an age recipient). */
function keyInFile(path: string, text: string): NamedKey {
  try {
    return parseContactKey(text);
  } catch (error) {
    throw new UsageError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The age identities in the --identity files. */
function identitiesIn(files: readonly string[] | undefined): string[] {
  return (files ?? []).flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(expandPath(file), 'utf8');
    } catch {
      throw new UsageError(`cannot read ${file}`);
    }
    return identitiesOf(text);
  });
}

/** What the header of an age file says: one line a recipient stanza, each naming its type. */
function ageHeaderSummary(start: Buffer): { Format: string; Recipients: string[] } {
  const lines = start.toString('latin1').split('\n');
  const end = lines.findIndex((line) => line.startsWith('---'));
  const stanzas = lines.slice(1, end === -1 ? undefined : end).filter((line) => line.startsWith('-> ')).map((line) => line.split(' ')[1] ?? '');
  return { Format: 'age v1 (age-encryption.org/v1)', Recipients: stanzas };
}

const EXTENSION = '.enc';

/** The name of the key that signed a message: a signing key of the vault, or the public key's fingerprint. */
async function signerName(keys: VaultPublicKeys, spki: Buffer): Promise<string> {
  const signer = (await keys()).find((key) => key.keyUsage === 'SIGN_VERIFY' && key.publicKey === spki.toString('base64'));
  return signer?.arn ?? `a key not in this vault, ${fingerprint(spki)}`;
}

/** What decrypt says it did: on standard output, or on standard error when the plaintext went there. */
function printSummary(out: string, summary: Record<string, unknown>): void {
  if (out === '-') process.stderr.write(`${JSON.stringify(summary)}\n`);
  else printJson(summary);
}

/** Where decrypt writes by default: IN without .enc or .age, or IN.decrypted. */
function decryptedName(path: string): string {
  const extension = [EXTENSION, '.age'].find((ending) => path.endsWith(ending) && path.length > ending.length);
  return extension === undefined ? `${path}.decrypted` : path.slice(0, -extension.length);
}

/** `strongroom file`: files of any size encrypted to share, in the AWS Encryption SDK's message format (docs/file-format.md). */
export function fileCommand(globals: () => GlobalOptions): Command {
  const file = new Command('file').description('Encrypt files of any size for KMS keys and RSA or EC public keys, in the AWS Encryption SDK’s format, or for age recipients, as age files (docs/file-format.md); decrypt and inspect them.');
  file
    .command('encrypt')
    .description('Encrypts each IN ("-" for standard input) for each --recipient, streaming, into IN.enc (or OUT; "-" for standard output). An output appears only once complete.')
    .argument('<in...>', 'the files to encrypt, or - for standard input')
    .requiredOption('--recipient <who>', 'an age recipient (age1…, age1pq1…: an age file), a public key file (RSA or EC: PEM, DER, JWK or certificate), a contact, or a key of the vault (id, ARN or alias: symmetric or RSA for ENCRYPT_DECRYPT, EC for KEY_AGREEMENT); repeat for more', collect)
    .option('--context <key=value>', 'a pair of the encryption context, bound to the file and shown by inspect (repeat for more)', collect)
    .option('--sign <key>', 'sign the file with this ECC_NIST_P384 SIGN_VERIFY key of the vault')
    .option('--frame-length <bytes>', 'plaintext bytes per frame (default 65536)')
    .option('--cache-max-age <seconds>', 'reuse one data key across the files of this command for up to SECONDS, as the Encryption SDK’s caching does (off by default: each file has a data key of its own)')
    .option('--cache-max-messages <n>', 'with --cache-max-age: at most N files a data key (default 2^32)')
    .option('--cache-max-bytes <n>', 'with --cache-max-age: at most N plaintext bytes a data key, all its files together')
    .option('-o, --output <out>', 'where to write, for one IN (default IN.enc, or IN.age for age recipients)')
    .option('--force', 'replace an output that exists')
    .action(async (paths: string[], flags: EncryptFlags) => {
      if (paths.length > 1 && (flags.output !== undefined || paths.includes('-'))) throw new UsageError('with more than one IN, each is written to IN.enc (or IN.age): leave out -o and "-"');
      const context = contextOf(flags.context);
      const frameLength = flags.frameLength === undefined ? undefined : integer(flags.frameLength, '--frame-length');
      const limits = cacheLimits(flags);
      const outputOf = (path: string, age: boolean): string => flags.output ?? (path === '-' ? '-' : `${path}${age ? '.age' : EXTENSION}`);
      const encryptAge = async (age: readonly string[]): Promise<void> => {
        for (const path of paths) {
          const { chunks, size } = input(path);
          await output(outputOf(path, true), ageEncrypt(age, withProgress(chunks, size, 'Encrypting')), flags.force === true);
        }
      };
      if (flags.recipient.every(isAgeRecipient)) {
        await encryptAge(checkKinds(flags.recipient.map((given) => ({ age: given })), flags) ?? []); // age recipients alone need no vault
        return;
      }
      await withKms(globals(), 'Encrypt', async (kms) => {
        let contacts: Map<string, NamedKey> | undefined;
        const listed = async (): Promise<Map<string, NamedKey>> => {
          contacts ??= new Map(((await kms('ListContacts', {})).Contacts as { Name: string; Kind: ContactKey['kind']; PublicKey: string }[]).map((c) => [c.Name.toLowerCase(), { kind: c.Kind, publicKey: c.PublicKey }]));
          return contacts;
        };
        const resolved: Resolved[] = [];
        for (const given of flags.recipient) resolved.push(await resolveRecipient(kms, given, listed));
        const age = checkKinds(resolved, flags);
        if (age !== undefined) {
          await encryptAge(age);
          return;
        }
        const recipients = resolved.filter((r): r is Recipient => !('age' in r));
        const request = { recipients, ...(context === undefined ? {} : { context }), ...(flags.sign === undefined ? {} : { signKeyId: flags.sign }), ...(frameLength === undefined ? {} : { frameLength }) };
        const cache = new DataKeyCache(kms, limits);
        try {
          for (const path of paths) {
            const { chunks, size } = input(path);
            const { plan, done } = await cache.plan(request, size);
            try {
              await output(outputOf(path, false), encryptMessage(plan, withProgress(chunks, size, 'Encrypting')), flags.force === true);
            } finally {
              done();
            }
          }
        } finally {
          cache.close();
        }
      });
    });
  file
    .command('decrypt')
    .description('Decrypts IN with whichever key or age identity of the vault it was encrypted for, checking every frame and the signature; OUT (IN without .enc by default) appears only once all of it is checked. With -o -, plaintext flows out as each frame is checked, and a failure exits non-zero.')
    .argument('<in>', 'the file to decrypt, or - for standard input')
    .option('-o, --output <out>', 'where to write (default IN without .enc or .age; "-" for standard output)')
    .option('--identity <file>', 'for an age file: an age identity file (as age-keygen writes it) to open it with, instead of the vault’s identities; repeat for more', collect)
    .option('--force', 'replace OUT if it exists')
    .action(async (path: string, flags: DecryptFlags) => {
      const out = flags.output ?? (path === '-' ? '-' : decryptedName(path));
      const { chunks, size } = input(path);
      const { start, all } = await peek(withProgress(chunks, size, 'Decrypting'), AGE_HEADER.length);
      if (isAgeFile(start) && flags.identity !== undefined) {
        await output(out, ageDecrypt(identitiesIn(flags.identity), all), flags.force === true); // identity files need no vault
        printSummary(out, { Output: out, Format: 'age' });
        return;
      }
      if (isAgeFile(start)) {
        const opened = await withKms(globals(), 'UnwrapAgeFileKey', async (kms) => {
          const identity = new VaultAgeIdentity(kms);
          await output(out, ageDecrypt([identity], all), flags.force === true);
          return identity.opened;
        }).catch((error: unknown) => {
          if (error instanceof KmsError && error.type === 'VaultNotInitializedException') throw new UsageError(`this is an age file and there is no vault to hold its identity: give the identity file with --identity FILE (${error.message})`);
          throw error;
        });
        printSummary(out, { Output: out, Format: 'age', EncryptedFor: opened === undefined ? [] : [`${opened.Name} (age identity ${opened.Recipient})`] });
        return;
      }
      const summary = await withKms(globals(), 'Decrypt', async (kms) => {
        const keys = vaultPublicKeys(kms);
        const { items, result } = itemsAndResult(decryptMessage(all, (header) => openDataKey(kms, header, keys)));
        await output(out, items, flags.force === true);
        const opened = result();
        if (opened === undefined) throw new KmsError('InvalidCiphertextException', 'The message did not end where it should.');
        return {
          Output: out,
          EncryptionContext: ownContext(opened.header.context),
          EncryptedFor: await nameRecipients(kms, opened.header.dataKeys, keys),
          SignedBy: opened.signerPublicKey === undefined ? 'nobody (the file is not signed)' : await signerName(keys, opened.signerPublicKey),
        };
      });
      printSummary(out, summary);
    });
  file
    .command('inspect')
    .description('Prints what IN says about itself, without decrypting it or opening the vault: its format, recipients, encryption context, signer and frame length.')
    .argument('<in>', 'the file, or - for standard input')
    .action(async (path: string) => {
      const { start, all } = await peek(input(path).chunks, 64 * 1024);
      if (isAgeFile(start)) {
        printJson(ageHeaderSummary(start));
        return;
      }
      const { header } = await readHeader(new ByteReader(all));
      printJson({
        Format: 'AWS Encryption SDK message format 2.0',
        AlgorithmSuite: `0x${header.suite.toString(16).padStart(4, '0')}`,
        EncryptionContext: ownContext(header.context),
        EncryptedFor: header.dataKeys.map((key) => ({ KeyProviderId: key.providerId, KeyProviderInfo: key.providerInfo.toString('utf8'), Recipient: describeDataKey(key) })),
        Signed: isSigned(header.suite) ? `by the key ${fingerprint(signerOfContext(header.context))}` : false,
        FrameLength: header.frameLength,
        MessageId: header.messageId.toString('hex'),
      });
    });
  return file;
}
