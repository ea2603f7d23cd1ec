import { Command, Option } from 'commander';
import { IAM_OPERATION_NAMES, type IamOperationName } from '../../src-shared/iam/operations';
import { CORE_OPERATIONS } from '../../src-shared/kms/extensions';
import { cliName } from '../../src-shared/kms/operationNames';
import { checkRequestJson } from '../../src-shared/kms/requestJson';
import type { OperationName } from '../../src-shared/kms/shapes.generated';
import { EXIT, UsageError } from './output';
import { checkQuery, formatResponse, OUTPUT_FORMATS, type OutputFormat } from './query';
import { allPages, pagingOf, type PageOptions, type Paging } from './paginate';
import { BINARY_FORMATS, blobText, fileText, integer, memberOptions, membersFromOptions, type BinaryFormat, type MemberOption } from './requestOptions';
import { withIsoTimestamps } from './timestamps';
import type { GlobalOptions } from './globalOptions';
import { withKms } from './kmsCalls';
import { readStdin } from './prompt';

/** An operation the command line runs as a command of its own: AWS KMS's (`strongroom kms`) and IAM's (`strongroom iam`). */
export type CliOperationName = OperationName | IamOperationName;

/** A request given as JSON, which must be an object for options to be laid over it, with its blobs read as `format` says. */
function asObject(request: unknown, members: readonly MemberOption[], format: BinaryFormat): Record<string, unknown> {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) throw new UsageError('--cli-input-json must be a JSON object');
  const object = request as Record<string, unknown>;
  for (const { member, kind } of members) {
    const value = object[member];
    if (kind === 'blob' && typeof value === 'string') object[member] = blobText(value, format);
  }
  return object;
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

/**
 * Refuses before the vault is opened (and a PIN asked for) a request that
 * lacks a required member or has one the operation does not know, as the AWS
 * CLI checks these before it calls the service. Every other check is the
 * service's, as at AWS.
 */
function checkMembers(request: Record<string, unknown>, members: readonly MemberOption[]): void {
  const missing = members.filter(({ member, required }) => required && request[member] === undefined);
  if (missing.length > 0) throw new UsageError(`the following arguments are required: ${missing.map(({ member }) => `--${cliName(member)}`).join(', ')}`);
  const known = new Set(members.map(({ member }) => member));
  const unknown = Object.keys(request).filter((member) => !known.has(member));
  if (unknown.length > 0) throw new UsageError(`Unknown parameter in input: "${unknown[0] ?? ''}", must be one of: ${[...known].join(', ')}`);
}

type OperationFlags = { cliInputJson?: string; cliBinaryFormat: BinaryFormat; query?: string; output: OutputFormat; paginate?: boolean; maxItems?: string; startingToken?: string; pageSize?: string } & Record<string, unknown>;

/** The AWS CLI's options for a list that pages. */
function addPageOptions(command: Command): void {
  command
    .option('--max-items <n>', 'print at most this many items, and a NextToken to go on from')
    .option('--starting-token <token>', 'go on from the NextToken a --max-items listing printed')
    .option('--page-size <n>', 'items fetched per call (the request’s Limit)')
    .option('--no-paginate', 'make one call, as given, and print its page with its NextMarker')
    .addHelpText('after', 'Without --no-paginate, --limit or --marker, it fetches every page and prints their items as one list, as the AWS CLI does.');
}

/** How to page a list: undefined for one call (--no-paginate, or a request that gives its own limit or Marker, as the AWS CLI does). */
function pageOptions(flags: OperationFlags, request: Record<string, unknown>, paging: Paging): PageOptions | undefined {
  const given = (['maxItems', 'startingToken', 'pageSize'] as const).filter((flag) => flags[flag] !== undefined);
  const single = flags.paginate === false || request[paging.limit] !== undefined || request.Marker !== undefined;
  if (single && given.length > 0) throw new UsageError(`--max-items, --starting-token and --page-size page a list; they cannot go with --no-paginate, --${cliName(paging.limit)} or --marker`);
  if (single) return undefined;
  const maxItems = flags.maxItems === undefined ? undefined : integer(flags.maxItems, '--max-items');
  if (maxItems !== undefined && maxItems < 1) throw new UsageError('--max-items takes a number from 1');
  return {
    maxItems,
    startingToken: flags.startingToken,
    pageSize: flags.pageSize === undefined ? undefined : integer(flags.pageSize, '--page-size'),
  };
}

/** Gives `command` the options and action of operation `name`: the request's members as options (IAM's MaxItems as --page-size, as the AWS CLI has it), paging for a list. */
function defineOperation(command: Command, name: CliOperationName, globals: () => GlobalOptions): void {
  const { input, output } = CORE_OPERATIONS[name];
  const paging = pagingOf(input.shape, output.shape);
  const members = memberOptions(input.shape).filter(({ member }) => !(paging?.limit === 'MaxItems' && member === 'MaxItems'));
  command
    .option('--cli-input-json <json>', 'the request as JSON, file://path, or - for standard input; options given beside it override its members')
    .option('--query <jmespath>', 'print only what this JMESPath expression selects from the response (e.g. CiphertextBlob)')
    .addOption(new Option('--output <format>', 'json, or text (the AWS CLI’s tab-separated text)').choices(OUTPUT_FORMATS).default('json'))
    .option('--no-cli-pager', 'taken for AWS CLI scripts: the output is never paged')
    .addOption(new Option('--cli-binary-format <format>', 'how blobs given as text are read: base64, or raw-in-base64-out for the text’s own bytes (fileb:// is always raw)').choices(BINARY_FORMATS).default('base64'))
    .addHelpText('after', `\nThe request is AWS ${IAM_OPERATION_NAMES.has(name) ? 'IAM' : 'KMS'} ${name}'s. Any option also takes file://PATH (the file's text).\nErrors print {"__type","message"} on stderr and exit 254.`);
  for (const member of members) for (const option of member.options) command.addOption(option);
  if (paging !== undefined) addPageOptions(command);
  command.action(async (flags: OperationFlags) => {
    checkQuery(flags.query);
    const request = { ...asObject(await readInput(flags.cliInputJson), members, flags.cliBinaryFormat), ...membersFromOptions(members, flags, flags.cliBinaryFormat) };
    checkRequestJson(request); // before it is sent to a holder as JSON, which a request nested thousands deep would overflow
    checkMembers(request, members);
    const pages = paging === undefined ? undefined : pageOptions(flags, request, paging);
    const response = await withKms(globals(), name, (kms) => {
      const call = (pageRequest: Record<string, unknown>): Promise<Record<string, unknown>> => kms(name, pageRequest);
      return paging !== undefined && pages !== undefined ? allPages(call, request, paging, pages) : call(request);
    });
    let printed: string | undefined;
    try {
      printed = formatResponse(withIsoTimestamps(response), flags.query, flags.output);
    } catch (error) {
      // As the AWS CLI: nothing on standard output (the response may hold a plaintext the query was to leave out).
      process.stderr.write(`strongroom: the call succeeded, but ${(error as Error).message}\n`);
      process.exitCode = EXIT.internal;
    }
    if (printed !== undefined) process.stdout.write(`${printed}\n`);
  });
}


/**
 * Adds a command for each operation of `names` to `parent`, with the AWS
 * CLI's names, options and JSON shapes. Only the operation that runs gets
 * its options (and builds its schemas), when commander dispatches to it.
 */
export function addOperationCommands(parent: Command, names: readonly CliOperationName[], summaryOf: (name: CliOperationName) => string, globals: () => GlobalOptions): void {
  const pending = new Map<Command, CliOperationName>();
  const define = (command: Command): void => {
    const name = pending.get(command);
    if (name === undefined) return;
    pending.delete(command);
    defineOperation(command, name, globals);
  };
  for (const name of names) {
    const command = parent.command(cliName(name)).description(summaryOf(name));
    pending.set(command, name);
    command.on('beforeHelp', () => {
      define(command); // `strongroom kms help <operation>` prints its help without dispatching to it
    });
  }
  parent.hook('preSubcommand', (_parent, command) => {
    define(command);
  });
}
