import { Command, Option } from 'commander';
import { OPERATIONS } from '../../../src-shared/kms/shapes.generated';
import { cliName } from '../../../src-shared/kms/operationNames';
import { implementedOperations, invoke } from '../../kms/operations';
import { EXIT, jsonText, UsageError } from '../output';
import { checkQuery, formatResponse, OUTPUT_FORMATS, type OutputFormat } from '../query';
import { allPages, pagingOf, type PageOptions } from '../paginate';
import { fileText, integer, memberOptions, membersFromOptions } from '../requestOptions';
import { withIsoTimestamps } from '../timestamps';
import type { GlobalOptions } from '../program';
import { withUnlockedVault } from '../withVault';
import { readStdin } from '../prompt';

/** A request given as JSON must be an object for options to be laid over it. */
function asObject(request: unknown): Record<string, unknown> {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) throw new UsageError('--cli-input-json must be a JSON object');
  return request as Record<string, unknown>;
}

/** The request: JSON text, `file://path`, or `-` for standard input; `{}` when absent. */
async function readInput(value: string | undefined): Promise<unknown> {
  const text = value === '-' ? await readStdin() : fileText(value ?? '{}');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError('--cli-input-json is not valid JSON'); // the parser's message quotes the input, which may hold a secret
  }
}

type KmsFlags = { cliInputJson?: string; query?: string; output: OutputFormat; paginate?: boolean; maxItems?: string; startingToken?: string; pageSize?: string } & Record<string, unknown>;

/** The AWS CLI's options for a list that pages. */
function addPageOptions(command: Command): void {
  command
    .option('--max-items <n>', 'print at most this many items, and a NextToken to go on from')
    .option('--starting-token <token>', 'go on from the NextToken a --max-items listing printed')
    .option('--page-size <n>', 'items fetched per call (the request’s Limit)')
    .option('--no-paginate', 'make one call, as given, and print its page with its NextMarker')
    .addHelpText('after', 'Without --no-paginate, --limit or --marker, it fetches every page and prints their items as one list, as the AWS CLI does.');
}

/** How to page a list: undefined for one call (--no-paginate, or a request that gives its own Limit or Marker, as the AWS CLI does). */
function pageOptions(flags: KmsFlags, request: Record<string, unknown>): PageOptions | undefined {
  const given = (['maxItems', 'startingToken', 'pageSize'] as const).filter((flag) => flags[flag] !== undefined);
  const single = flags.paginate === false || request.Limit !== undefined || request.Marker !== undefined;
  if (single && given.length > 0) throw new UsageError('--max-items, --starting-token and --page-size page a list; they cannot go with --no-paginate, --limit or --marker');
  if (single) return undefined;
  const maxItems = flags.maxItems === undefined ? undefined : integer(flags.maxItems, '--max-items');
  if (maxItems !== undefined && maxItems < 1) throw new UsageError('--max-items takes a number from 1');
  return {
    maxItems,
    startingToken: flags.startingToken,
    pageSize: flags.pageSize === undefined ? undefined : integer(flags.pageSize, '--page-size'),
  };
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
    const paging = pagingOf(OPERATIONS[name].input.shape, OPERATIONS[name].output.shape);
    if (paging !== undefined) addPageOptions(command);
    command.action(async (flags: KmsFlags) => {
      checkQuery(flags.query);
      const request = { ...asObject(await readInput(flags.cliInputJson)), ...membersFromOptions(members, flags) };
      const pages = paging === undefined ? undefined : pageOptions(flags, request);
      const response = await withUnlockedVault(globals(), (vault) => {
        const call = (pageRequest: Record<string, unknown>): Record<string, unknown> => invoke(vault, name, pageRequest) as Record<string, unknown>;
        return paging !== undefined && pages !== undefined ? allPages(call, request, paging, pages) : call(request);
      });
      let printed: string | undefined;
      try {
        printed = formatResponse(withIsoTimestamps(response), flags.query, flags.output);
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
