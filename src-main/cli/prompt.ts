import { createInterface } from 'node:readline';
import { KmsError } from '../../src-shared/errors';

/** Reads one line from the terminal without echoing it. */
function readHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    const rl = createInterface({ input, output: process.stderr, terminal: true });
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

let pipedLines: string[] | undefined;

/** The next line of piped standard input (for scripts that pipe PINs in). */
async function readPipedLine(): Promise<string | undefined> {
  if (pipedLines === undefined) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    pipedLines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  }
  return pipedLines.shift();
}

/**
 * A secret from the environment variable `envVar`, else a no-echo prompt on
 * the terminal, else the next line of piped standard input. With `confirm`,
 * a prompted secret is asked twice and must match.
 */
export async function readSecret(envVar: string, question: string, confirm = false): Promise<string> {
  const fromEnv = process.env[envVar];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) {
    const line = await readPipedLine();
    if (line === undefined || line === '') {
      throw new KmsError('ValidationException', `No PIN given: set ${envVar} or run in a terminal to be asked for it.`);
    }
    return line;
  }
  const first = await readHidden(question);
  if (confirm && (await readHidden('Repeat it: ')) !== first) {
    throw new KmsError('ValidationException', 'The two PINs do not match.');
  }
  return first;
}
