import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { OPERATIONS, type OperationName } from '../../../src-shared/kms/shapes.generated';
import { cliName } from '../../../src-shared/kms/operationNames';
import { implementedOperations, invoke } from '../../kms/operations';
import { printJson, UsageError } from '../output';
import type { GlobalOptions } from '../program';
import { withUnlockedVault } from '../withVault';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The request: JSON text, `file://path`, or `-` for standard input; `{}` when absent. */
async function readInput(value: string | undefined): Promise<unknown> {
  let text = value ?? '{}';
  if (value === '-') text = await readStdin();
  else if (value?.startsWith('file://')) {
    const path = value.slice('file://'.length);
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new UsageError(`cannot read ${path}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--cli-input-json is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The request fields of an operation, for its help text. */
function describeFields(name: OperationName): string {
  const shape = OPERATIONS[name].input.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  const lines = Object.entries(shape).map(([field, schema]) => `  ${field}${schema.safeParse(undefined).success ? '' : ' (required)'}`);
  return `\nRequest fields (AWS KMS ${name}):\n${lines.join('\n')}\n\nBlobs are base64. Errors print {"__type","message"} on stderr and exit 254.`;
}

/** `strongroom kms <operation>`: the AWS KMS operations, with the AWS CLI's names and JSON shapes. */
export function kmsCommand(globals: () => GlobalOptions): Command {
  const kms = new Command('kms').description('Run an AWS KMS operation on the vault (AWS CLI names and JSON shapes). The PIN comes from --pin-file, STRONGROOM_PIN or a prompt.');
  for (const name of implementedOperations()) {
    kms
      .command(cliName(name))
      .description(OPERATIONS[name].summary)
      .option('--cli-input-json <json>', 'the request as JSON, file://path, or - for standard input')
      .addHelpText('after', describeFields(name))
      .action(async (flags: { cliInputJson?: string }) => {
        const request = await readInput(flags.cliInputJson);
        const response = await withUnlockedVault(globals(), (vault) => invoke(vault, name, request));
        // Like the AWS CLI, an operation with an empty response prints nothing.
        if (typeof response === 'object' && response !== null && Object.keys(response).length > 0) printJson(response);
      });
  }
  return kms;
}
