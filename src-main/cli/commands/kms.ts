import { Command, Option } from 'commander';
import { OPERATIONS } from '../../../src-shared/kms/shapes.generated';
import { cliName } from '../../../src-shared/kms/operationNames';
import { implementedOperations, invoke } from '../../kms/operations';
import { EXIT, jsonText, UsageError } from '../output';
import { checkQuery, formatResponse, OUTPUT_FORMATS, type OutputFormat } from '../query';
import { memberOptions, membersFromOptions, readFile } from '../requestOptions';
import type { GlobalOptions } from '../program';
import { withUnlockedVault } from '../withVault';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A request given as JSON must be an object for options to be laid over it. */
function asObject(request: unknown): Record<string, unknown> {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) throw new UsageError('--cli-input-json must be a JSON object');
  return request as Record<string, unknown>;
}

/** The request: JSON text, `file://path`, or `-` for standard input; `{}` when absent. */
async function readInput(value: string | undefined): Promise<unknown> {
  let text = value ?? '{}';
  if (value === '-') text = await readStdin();
  else if (value?.startsWith('file://')) text = readFile(value.slice('file://'.length)).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError('--cli-input-json is not valid JSON'); // the parser's message quotes the input, which may hold a secret
  }
}

/** `strongroom kms <operation>`: the AWS KMS operations, with the AWS CLI's names, options and JSON shapes. */
export function kmsCommand(globals: () => GlobalOptions): Command {
  const kms = new Command('kms').description('Run an AWS KMS operation on the vault (AWS CLI names and JSON shapes). The PIN comes from --pin-file, STRONGROOM_PIN or a prompt.');
  for (const name of implementedOperations()) {
    const members = memberOptions(OPERATIONS[name].input.shape);
    const command = kms
      .command(cliName(name))
      .description(OPERATIONS[name].summary)
      .option('--cli-input-json <json>', 'the request as JSON, file://path, or - for standard input; options given beside it override its members')
      .option('--query <jmespath>', 'print only what this JMESPath expression selects from the response (e.g. CiphertextBlob)')
      .addOption(new Option('--output <format>', 'json, or text (the AWS CLI’s tab-separated text)').choices(OUTPUT_FORMATS).default('json'))
      .addHelpText('after', `\nThe request is AWS KMS ${name}'s. Any option also takes file://PATH (the file's text).\nErrors print {"__type","message"} on stderr and exit 254.`);
    for (const member of members) for (const option of member.options) command.addOption(option);
    command.action(async (flags: { cliInputJson?: string; query?: string; output: OutputFormat } & Record<string, unknown>) => {
      checkQuery(flags.query);
      const request = { ...asObject(await readInput(flags.cliInputJson)), ...membersFromOptions(members, flags) };
      const response = await withUnlockedVault(globals(), (vault) => invoke(vault, name, request));
      let printed: string | undefined;
      try {
        printed = formatResponse(response, flags.query, flags.output);
      } catch (error) {
        // The call has run: print its whole response rather than lose it, and fail.
        printed = jsonText(response);
        process.stderr.write(`strongroom: ${(error as Error).message}\n`);
        process.exitCode = EXIT.internal;
      }
      if (printed !== undefined) process.stdout.write(`${printed}\n`);
    });
  }
  return kms;
}
