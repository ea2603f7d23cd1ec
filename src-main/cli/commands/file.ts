import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { Command } from 'commander';
import { KmsError } from '../../../src-shared/errors';
import { writeAtomically } from '../../envelope/atomicFile';
import type { Chunks } from '../../envelope/byteReader';
import { decryptMessage, itemsAndResult, readHeader } from '../../envelope/decryptMessage';
import { encryptMessage } from '../../envelope/encryptMessage';
import { ByteReader } from '../../envelope/byteReader';
import { fingerprint, planEncryption } from '../../envelope/plan';
import { describeDataKey, openDataKey, recipientOfKey, vaultPublicKeys, type KmsCall, type Recipient } from '../../envelope/recipients';
import { isSigned } from '../../envelope/suites';
import { ownContext, signerOfContext } from '../../envelope/signing';
import type { GlobalOptions } from '../globalOptions';
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
}

interface DecryptFlags {
  output?: string;
  force?: boolean;
}

const EXTENSION = '.enc';

/** The bytes of IN, or of standard input for "-", counting them for the progress line. */
function input(path: string): { chunks: Chunks; size: number | undefined } {
  if (path === '-') return { chunks: process.stdin, size: undefined };
  const file = expandPath(path);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
  return { chunks: createReadStream(file, { highWaterMark: 1024 * 1024 }), size };
}

/** Reports how far a long run has got on standard error, when it is a terminal, at most four times a second. */
function withProgress(chunks: Chunks, size: number | undefined, verb: string): Chunks {
  if (!process.stderr.isTTY || size === undefined || size < 16 * 1024 * 1024) return chunks;
  let done = 0;
  let shown = 0;
  return (async function* counted() {
    for await (const chunk of chunks) {
      done += chunk.length;
      if (Date.now() - shown > 250) {
        shown = Date.now();
        process.stderr.write(`\r${verb} ${String(Math.floor((done / size) * 100))}% (${String(Math.round(done / 1048576))} of ${String(Math.round(size / 1048576))} MiB)`);
      }
      yield chunk;
    }
    process.stderr.write('\r\x1b[K');
  })();
}

/** Writes the result: to standard output for "-", else atomically to the file (see writeAtomically). */
async function output(path: string, chunks: AsyncIterable<Buffer>, force: boolean): Promise<void> {
  if (path !== '-') {
    await writeAtomically(expandPath(path), chunks, force);
    return;
  }
  for await (const chunk of chunks) {
    if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}

/** What a --recipient names: a public key file (PEM or DER, RSA), else a key of the vault (id, ARN, alias). */
async function recipientOf(kms: KmsCall, given: string): Promise<Recipient> {
  let text: Buffer | undefined;
  try {
    text = readFileSync(expandPath(given));
  } catch {
    text = undefined;
  }
  if (text === undefined) return recipientOfKey(kms, given);
  let spki: Buffer;
  try {
    const key = text.includes('-----BEGIN') ? createPublicKey(text.toString('utf8')) : createPublicKey({ key: text, format: 'der', type: 'spki' });
    spki = key.export({ type: 'spki', format: 'der' });
    if (key.asymmetricKeyType !== 'rsa') throw new UsageError(`${given} holds a ${String(key.asymmetricKeyType)} public key; a file recipient's public key is RSA`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${given} is not a public key (PEM or DER SubjectPublicKeyInfo)`);
  }
  return { kind: 'rsa', spki };
}

/** The name of the key that signed a message: a signing key of the vault, or the public key's fingerprint. */
async function signerName(kms: KmsCall, spki: Buffer): Promise<string> {
  const arn = (await vaultPublicKeys(kms, 'ECC_NIST_P384', 'SIGN_VERIFY')).get(spki.toString('base64'));
  return arn ?? `a key not in this vault, ${fingerprint(spki)}`;
}

/** Where decrypt writes by default: IN without .enc, or IN.decrypted. */
function decryptedName(path: string): string {
  return path.endsWith(EXTENSION) && path.length > EXTENSION.length ? path.slice(0, -EXTENSION.length) : `${path}.decrypted`;
}

/** `strongroom file`: files of any size encrypted to share, in the AWS Encryption SDK's message format (docs/file-format.md). */
export function fileCommand(globals: () => GlobalOptions): Command {
  const file = new Command('file').description('Encrypt files of any size for KMS keys and RSA public keys, in the AWS Encryption SDK’s format (docs/file-format.md); decrypt and inspect them.');
  file
    .command('encrypt')
    .description('Encrypts IN ("-" for standard input) for each --recipient, streaming, into OUT (IN.enc by default; "-" for standard output). OUT appears only once complete.')
    .argument('<in>', 'the file to encrypt, or - for standard input')
    .requiredOption('--recipient <who>', 'a key of the vault (id, ARN or alias; symmetric, or RSA for ENCRYPT_DECRYPT) or an RSA public key file (PEM or DER); repeat for more', collect)
    .option('--context <key=value>', 'a pair of the encryption context, bound to the file and shown by inspect (repeat for more)', collect)
    .option('--sign <key>', 'sign the file with this ECC_NIST_P384 SIGN_VERIFY key of the vault')
    .option('--frame-length <bytes>', 'plaintext bytes per frame (default 65536)')
    .option('-o, --output <out>', 'where to write (default IN.enc)')
    .option('--force', 'replace OUT if it exists')
    .action(async (path: string, flags: EncryptFlags) => {
      const out = flags.output ?? (path === '-' ? '-' : `${path}${EXTENSION}`);
      const context = contextOf(flags.context);
      const frameLength = flags.frameLength === undefined ? undefined : integer(flags.frameLength, '--frame-length');
      const { chunks, size } = input(path);
      await withKms(globals(), 'Encrypt', async (kms) => {
        const recipients: Recipient[] = [];
        for (const given of flags.recipient) recipients.push(await recipientOf(kms, given));
        const plan = await planEncryption(kms, { recipients, ...(context === undefined ? {} : { context }), ...(flags.sign === undefined ? {} : { signKeyId: flags.sign }), ...(frameLength === undefined ? {} : { frameLength }) });
        try {
          await output(out, encryptMessage(plan, withProgress(chunks, size, 'Encrypting')), flags.force === true);
        } finally {
          plan.dataKey.fill(0);
        }
      });
    });
  file
    .command('decrypt')
    .description('Decrypts IN with whichever key of the vault it was encrypted for, checking every frame and the signature; OUT (IN without .enc by default) appears only once all of it is checked. With -o -, plaintext flows out as each frame is checked, and a failure exits non-zero.')
    .argument('<in>', 'the file to decrypt, or - for standard input')
    .option('-o, --output <out>', 'where to write (default IN without .enc; "-" for standard output)')
    .option('--force', 'replace OUT if it exists')
    .action(async (path: string, flags: DecryptFlags) => {
      const out = flags.output ?? (path === '-' ? '-' : decryptedName(path));
      const { chunks, size } = input(path);
      const summary = await withKms(globals(), 'Decrypt', async (kms) => {
        const { items, result } = itemsAndResult(decryptMessage(withProgress(chunks, size, 'Decrypting'), (header) => openDataKey(kms, header)));
        await output(out, items, flags.force === true);
        const opened = result();
        if (opened === undefined) throw new KmsError('InvalidCiphertextException', 'The message did not end where it should.');
        return {
          Output: out,
          EncryptionContext: ownContext(opened.header.context),
          EncryptedFor: opened.header.dataKeys.map(describeDataKey),
          SignedBy: opened.signerPublicKey === undefined ? 'nobody (the file is not signed)' : await signerName(kms, opened.signerPublicKey),
        };
      });
      if (out === '-') process.stderr.write(`${JSON.stringify(summary)}\n`);
      else printJson(summary);
    });
  file
    .command('inspect')
    .description('Prints what IN says about itself, without decrypting it or opening the vault: its format, recipients, encryption context, signer and frame length.')
    .argument('<in>', 'the file, or - for standard input')
    .action(async (path: string) => {
      const { header } = await readHeader(new ByteReader(input(path).chunks));
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
