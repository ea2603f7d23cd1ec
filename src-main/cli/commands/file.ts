import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { KmsError } from '../../../src-shared/errors';
import { readHeader } from '../../envelope/decryptMessage';
import { identitiesOf, isAgeFile } from '../../envelope/ageFiles';
import { ByteReader } from '../../envelope/byteReader';
import type { CacheLimits } from '../../envelope/dataKeyCache';
import { fingerprint } from '../../envelope/fingerprint';
import { describeDataKey } from '../../envelope/recipients';
import { isSigned } from '../../envelope/suites';
import { ownContext, signerOfContext } from '../../envelope/signing';
import { encryptFiles } from '../../files/encryptFiles';
import { decryptedName, encryptedName } from '../../files/names';
import { openFile, peek } from '../../files/openFile';
import { allAge, recipientsOf } from '../../files/recipientsOf';
import type { GlobalOptions } from '../globalOptions';
import { input, output, readTextFile, withProgress } from '../fileIo';
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

/** Refuses what an age file cannot have. */
function checkAgeOptions(flags: EncryptFlags): void {
  if (flags.context !== undefined || flags.sign !== undefined || flags.frameLength !== undefined || flags.cacheMaxAge !== undefined) throw new UsageError('an age file has no encryption context, signature, frame length or data key to cache: leave out --context, --sign, --frame-length and --cache-max-age');
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

/** The age identities in the --identity files. */
function identitiesIn(files: readonly string[] | undefined): string[] {
  return (files ?? []).flatMap((file) => identitiesOf(readTextFile(file)));
}

/** What the header of an age file says: one line a recipient stanza, each naming its type. */
function ageHeaderSummary(start: Buffer): { Format: string; Recipients: string[] } {
  const lines = start.toString('latin1').split('\n');
  const end = lines.findIndex((line) => line.startsWith('---'));
  const stanzas = lines.slice(1, end === -1 ? undefined : end).filter((line) => line.startsWith('-> ')).map((line) => line.split(' ')[1] ?? '');
  return { Format: 'age v1 (age-encryption.org/v1)', Recipients: stanzas };
}

/** What decrypt says it did: on standard output, or on standard error when the plaintext went there. */
function printSummary(out: string, summary: Record<string, unknown>): void {
  if (out === '-') process.stderr.write(`${JSON.stringify(summary)}\n`);
  else printJson(summary);
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
      const cache = cacheLimits(flags);
      const options = { ...(context === undefined ? {} : { context }), ...(flags.sign === undefined ? {} : { signKeyId: flags.sign }), ...(frameLength === undefined ? {} : { frameLength }), ...(cache === undefined ? {} : { cache }) };
      for (const path of paths) if (path !== '-' && !existsSync(expandPath(path))) throw new UsageError(`cannot read ${path}`);
      const piped = paths.includes('-') ? input('-') : undefined; // claimed now, before the vault could ask for a PIN on standard input
      const files = paths.map((path) => ({
        source: () => {
          const { chunks, size } = path === '-' && piped !== undefined ? piped : input(path);
          return { chunks: withProgress(chunks, size, 'Encrypting'), size };
        },
        write: (result: AsyncIterable<Buffer>, age: boolean) => output(flags.output ?? (path === '-' ? '-' : encryptedName(path, age)), result, flags.force === true),
      }));
      if (allAge(flags.recipient)) {
        checkAgeOptions(flags);
        await encryptFiles(undefined, await recipientsOf(flags.recipient), options, files); // age recipients alone need no vault
        return;
      }
      await withKms(globals(), 'Encrypt', async (kms) => {
        const recipients = await recipientsOf(flags.recipient, kms);
        if ('age' in recipients) checkAgeOptions(flags);
        await encryptFiles(kms, recipients, options, files);
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
      const write = (plaintext: AsyncIterable<Buffer>): Promise<void> => output(out, plaintext, flags.force === true);
      const opened = await openFile(withProgress(chunks, size, 'Decrypting'), write, (first, work) => withKms(globals(), first, work), flags.identity === undefined ? undefined : identitiesIn(flags.identity)).catch((error: unknown) => {
        if (error instanceof KmsError && error.type === 'VaultNotInitializedException') throw new UsageError(`there is no vault to open this file with; for an age file, give its identity file with --identity FILE (${error.message})`);
        throw error;
      });
      printSummary(out, { Output: out, ...opened });
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
