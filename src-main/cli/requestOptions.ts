import { closeSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { Option } from 'commander';
import { cliName } from '../../src-shared/kms/operationNames';
import { defOf, type SchemaDef } from '../../src-shared/kms/schemaDef';
import { KmsError } from '../../src-shared/errors';
import { BLOB_MEMBERS } from '../../src-shared/kms/shapes.generated';
import { blobMaxBytes } from '../../src-shared/kms/wire';
import { UsageError } from './output';

/** How a member is given on the command line, as the AWS CLI takes it. */
type Kind = 'text' | 'blob' | 'number' | 'flag' | 'map' | 'list' | 'structures' | 'structure';

/** One request member as command-line options: `KeyId` is `--key-id`; a boolean `DryRun` is `--dry-run` and `--no-dry-run`. */
export interface MemberOption {
  member: string;
  kind: Kind;
  required: boolean;
  options: Option[];
  /** For a blob, the most bytes it takes: no more is read from a fileb:// file. */
  maxBytes?: number | undefined;
}

function kindOf(member: string, def: SchemaDef): Kind {
  if (BLOB_MEMBERS.has(member)) return 'blob';
  if (def.type === 'number') return 'number';
  if (def.type === 'boolean') return 'flag';
  if (def.type === 'record') return 'map';
  if (def.type === 'array') return def.element?.def.type === 'object' ? 'structures' : 'list';
  if (def.type === 'object') return 'structure';
  return 'text';
}

const HOW: Record<Kind, string> = {
  text: '',
  blob: 'base64, or fileb://PATH for a file’s bytes',
  number: 'a whole number',
  flag: '',
  map: 'name=value,name=value or JSON',
  list: 'one or more values, or a JSON list',
  structures: 'one or more Name=value,Name=value items, or JSON',
  structure: 'Name=value,Name=value or JSON',
};

/** The options for the members of a request schema's `shape`, each with what it takes and whether it is required. */
export function memberOptions(shape: Record<string, unknown>): MemberOption[] {
  return Object.entries(shape).map(([member, schema]) => {
    const def = defOf(schema);
    const kind = kindOf(member, def);
    const required = !(schema as { safeParse(value: unknown): { success: boolean } }).safeParse(undefined).success;
    const how = def.type === 'enum' ? '' : HOW[kind];
    const about = `${member}${how === '' ? '' : `: ${how}`}${required ? ' (required)' : ''}`;
    const name = cliName(member);
    if (kind === 'flag') return { member, kind, required, options: [new Option(`--${name}`, member), new Option(`--no-${name}`, `sets ${member} to false`)] };
    const option = new Option(`--${name} ${kind === 'list' || kind === 'structures' ? '<values...>' : '<value>'}`, about);
    if (def.type === 'enum' && def.entries !== undefined) option.choices(Object.values(def.entries));
    return { member, kind, required, options: [option], maxBytes: kind === 'blob' ? blobMaxBytes(schema) : undefined };
  });
}

/** A path as the AWS CLI reads one after file:// or fileb://: a leading `~` is the home directory, and `$NAME` or `${NAME}` an environment variable (left as it is when unset). */
export function expandPath(path: string): string {
  const home = path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
  return home.replace(/\$(\w+|\{(\w+)\})/g, (whole, name: string, braced: string | undefined) => process.env[braced ?? name] ?? whole);
}

/** The most bytes a file:// value is read to: more than any KMS request takes. */
const MAX_TEXT_FILE_BYTES = 1024 * 1024;

/** Up to `limit` + 1 bytes of the file at `path` (a device such as /dev/zero never ends); a usage error when it cannot be read. */
function readAtMost(path: string, limit: number): Buffer {
  let fd: number;
  try {
    fd = openSync(expandPath(path), 'r');
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
  const bytes = Buffer.alloc(limit + 1);
  let length = 0;
  try {
    while (length < bytes.length) {
      const read = readSync(fd, bytes, length, bytes.length - length, null);
      if (read === 0) break;
      length += read;
    }
  } catch {
    bytes.fill(0);
    throw new UsageError(`cannot read ${path}`);
  } finally {
    closeSync(fd);
  }
  return bytes.subarray(0, length);
}

/**
 * The bytes of the file `given` names after its `scheme` (file:// or
 * fileb://), at most `limit` of them: ValidationException, saying what takes
 * at most that, when there are more.
 */
function readFile(given: string, scheme: string, limit: number, what: string): Buffer {
  const bytes = readAtMost(given.slice(scheme.length), limit);
  if (bytes.length <= limit) return bytes;
  bytes.fill(0);
  throw new KmsError('ValidationException', `${given} holds more than ${String(limit)} bytes, ${what}.`);
}

function parseJson(text: string, flag: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${flag} is not valid JSON`);
  }
}

/**
 * `Name=value,Name=value` (AWS shorthand without nesting or quoting): a map
 * of strings, each name and value trimmed of spaces. Values with commas or
 * quotes are given as JSON.
 */
function shorthand(text: string, flag: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    if (at < 0 || name === '') throw new UsageError(`${flag} takes name=value pairs separated by commas, or JSON; "${pair}" is not name=value`);
    if (/["']/.test(pair)) throw new UsageError(`${flag}: give JSON for names or values with quotes (shorthand does not take quoting)`);
    Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true }); // a name such as __proto__ stays a key, for the request's checks to refuse
  }
  return map;
}

function mapOrStructure(text: string, flag: string): unknown {
  return text.trimStart().startsWith('{') ? parseJson(text, flag) : shorthand(text, flag);
}

/** A whole number given to option `flag`; a usage error for anything else (0x10, 1e1, 1.5). */
export function integer(text: string, flag: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new UsageError(`${flag} takes a whole number, not "${text}"`);
  return Number(text);
}

/** How the text of each kind of single value becomes the request's value. */
const PARSE: Record<'text' | 'number' | 'map' | 'structure', (text: string, flag: string) => unknown> = {
  text: (text) => text,
  number: integer,
  map: mapOrStructure,
  structure: mapOrStructure,
};

/** The value as given, or with file://PATH the text of that file, as the AWS CLI takes any kind of value. */
export function fileText(text: string): string {
  return text.startsWith('file://') ? readFile(text, 'file://', MAX_TEXT_FILE_BYTES, 'more than any KMS request takes').toString('utf8') : text;
}

/** How blobs given as text are read, as the AWS CLI's --cli-binary-format names it. */
export const BINARY_FORMATS = ['base64', 'raw-in-base64-out'] as const;
export type BinaryFormat = (typeof BINARY_FORMATS)[number];

/**
 * A blob given as text, as the request's base64: with `raw-in-base64-out`,
 * the text's own UTF-8 bytes; with `base64`, the text without the line
 * breaks and spaces that the AWS CLI skips too (`base64` wraps its output).
 */
export function blobText(text: string, format: BinaryFormat): string {
  return format === 'raw-in-base64-out' ? Buffer.from(text, 'utf8').toString('base64') : text.replace(/\s+/g, '');
}

/** Plaintexts given on the command line longer than this many characters are warned about. */
const INLINE_PLAINTEXT_WARNING_CHARS = 8;

/** Warns when a plaintext is given in the command's arguments, which other users of the machine can read (ps, /proc/PID/cmdline). */
function warnOfInlinePlaintext(member: string, flag: string, text: string): void {
  if (!member.endsWith('Plaintext') || text.startsWith('fileb://') || text.startsWith('file://') || text.length <= INLINE_PLAINTEXT_WARNING_CHARS) return;
  process.stderr.write(`strongroom: warning: ${flag} was given on the command line, where other users of this machine can read it (ps, /proc/PID/cmdline). Give it as fileb://PATH, or fileb:///dev/stdin and pipe it in.\n`);
}

/** The request value of one option as given on the command line. */
function valueOf({ member, kind, maxBytes }: MemberOption, given: unknown, format: BinaryFormat): unknown {
  const flag = `--${cliName(member)}`;
  if (kind === 'flag') return given;
  if (kind === 'list' || kind === 'structures') {
    const items = (given as string[]).map(fileText);
    if (items.length === 1 && items[0]?.trimStart().startsWith('[')) return parseJson(items[0], flag);
    return kind === 'structures' ? items.map((item) => mapOrStructure(item, flag)) : items;
  }
  const text = String(given);
  if (kind === 'blob') warnOfInlinePlaintext(member, flag, text);
  if (kind === 'blob' && text.startsWith('fileb://')) {
    const bytes = readFile(text, 'fileb://', maxBytes ?? MAX_TEXT_FILE_BYTES, `the most ${flag} (${member}) takes`);
    try {
      return bytes.toString('base64');
    } finally {
      bytes.fill(0); // a plaintext, perhaps: only the string goes on
    }
  }
  return kind === 'blob' ? blobText(fileText(text), format) : PARSE[kind](fileText(text), flag);
}

/** The request members given as options (`flags` as commander parsed them; blobs read as `format` says), to lay over the --cli-input-json request. */
export function membersFromOptions(options: readonly MemberOption[], flags: Record<string, unknown>, format: BinaryFormat): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (const option of options) {
    const given = flags[option.options[0]?.attributeName() ?? ''];
    if (given !== undefined) members[option.member] = valueOf(option, given, format);
  }
  return members;
}

/** `k=v` pairs as an encryption context; UsageError for one without `=`. */
export function contextOf(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (pairs === undefined || pairs.length === 0) return undefined;
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`--context ${pair}: give key=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/** Commander's collector of a repeated option. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
