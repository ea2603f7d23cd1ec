import { CommanderError } from 'commander';
import { buildProgram } from './program';
import { EXIT, reportError } from './output';
import { declareHolderKind } from '../vault/ownerLock';

declare const STRONGROOM_VERSION: string;

/** Runs the CLI with `argv` and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(typeof STRONGROOM_VERSION === 'string' ? STRONGROOM_VERSION : '0.0.0-dev');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed help or the usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error);
  }
}

// The vaults this process opens say that a command holds them, which others wait for (`strongroom ui` says otherwise).
declareHolderKind('cli');

// A reader that stops early (`strongroom kms --help | head`) ends the output, not the command: what is left to print goes nowhere.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

void main(process.argv.slice(2)).then((code) => {
  // A command may have set its own exit code (audit verify: 1 for a broken chain).
  if (code !== EXIT.ok || process.exitCode === undefined) process.exitCode = code;
});
