import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { KmsError } from '../../src-shared/errors';
import { textOfChunks } from '../crypto/secret';

/** Reads one line from the terminal without echoing it. */
function readHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    const rl = createInterface({ input, output: process.stderr, terminal: true, historySize: 0 }); // no history: it would keep the PIN
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    process.stderr.write(question);
    output._writeToOutput = () => undefined; // no echo
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    rl.on('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      reject(new KmsError('ValidationException', 'Cancelled.'));
    });
  });
}

/** The most standard input may hold: more than any request of the API model. */
export const STDIN_LIMIT_BYTES = 1024 * 1024;

/** All of standard input as text, up to `limit` bytes (ValidationException past it); its bytes are zero-filled once read (it may hold a PIN or a plaintext). */
export async function readStdin(limit = STDIN_LIMIT_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    if (length > limit) {
      for (const read of chunks) read.fill(0);
      throw new KmsError('ValidationException', `Standard input holds more than ${String(limit)} bytes, more than any request takes.`);
    }
  }
  return textOfChunks(chunks);
}

let pipedLines: string[] | undefined;

/** The next line of piped standard input (for scripts that pipe PINs in). */
async function readPipedLine(): Promise<string | undefined> {
  pipedLines ??= (await readStdin()).split(/\r?\n/);
  return pipedLines.shift();
}

/** The bytes of a PIN file; refused when it is a regular file that other users may read. */
function readPrivateFile(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new KmsError('ValidationException', `Cannot read the PIN file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new KmsError('ValidationException', `The PIN file ${path} is a directory.`);
    if (stat.isFile() && (stat.mode & 0o077) !== 0) {
      throw new KmsError('ValidationException', `The PIN file ${path} can be read by other users: make it private with chmod 600.`);
    }
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The first line of a PIN file (a private file, or a descriptor such as /dev/fd/3). */
function readPinFile(path: string): string {
  const bytes = readPrivateFile(path);
  try {
    const line = bytes.toString('utf8').split(/\r?\n/, 1)[0] ?? '';
    if (line === '') throw new KmsError('ValidationException', `The PIN file ${path} is empty: its first line is the PIN.`);
    return line;
  } finally {
    bytes.fill(0);
  }
}

/** Where a secret may come from besides a prompt: a file given on the command line, and an environment variable. */
export interface SecretSource {
  file?: string | undefined;
  envVar: string;
}

/** What standard input carries instead of a PIN, when a command reads its data from it. */
let stdinCarries: string | undefined;

/** Says that standard input carries `what` (a file to encrypt), so that a PIN is never read from it. */
export function reserveStdin(what: string): void {
  stdinCarries = what;
}

/**
 * A secret from `source.file`, else the environment variable
 * `source.envVar` (removed from the environment once read), else a no-echo
 * prompt on the terminal, else the next line of piped standard input (unless it carries a
 * command's data: see {@link reserveStdin}). With
 * `confirm`, a prompted secret is asked twice and must match.
 */
export async function readSecret({ file, envVar }: SecretSource, question: string, confirm = false): Promise<string> {
  if (file !== undefined) return readPinFile(file);
  const fromEnv = process.env[envVar];
  if (fromEnv !== undefined && fromEnv !== '') {
    Reflect.deleteProperty(process.env, envVar); // read once; no process this one starts inherits it
    return fromEnv;
  }
  if (stdinCarries !== undefined) throw new KmsError('ValidationException', `Standard input carries ${stdinCarries}: give the PIN with ${envVar} or a PIN file.`);
  if (!process.stdin.isTTY) {
    const line = await readPipedLine();
    if (line === undefined || line === '') {
      throw new KmsError('ValidationException', `No PIN given: set ${envVar}, give a PIN file, or run in a terminal to be asked for it.`);
    }
    return line;
  }
  const first = await readHidden(question);
  if (confirm && (await readHidden('Repeat it: ')) !== first) {
    throw new KmsError('ValidationException', 'The two PINs do not match.');
  }
  return first;
}
