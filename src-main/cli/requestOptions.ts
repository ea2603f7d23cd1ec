import { closeSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { Option } from 'commander';
import { cliName } from '../../src-shared/kms/operationNames';
import { KmsError } from '../../src-shared/errors';
import { blobMaxBytes, defOf, type SchemaDef } from '../../src-shared/kms/schemaDef';
import { BLOB_MEMBERS } from '../../src-shared/kms/shapes.generated';
import { UsageError } from './output';

/** How a member is given on the command line, as the AWS CLI takes it. */
type Kind = 'text' | 'blob' | 'number' | 'flag' | 'map' | 'list' | 'structures' | 'structure';

/** One request member as command-line options: `KeyId` is `--key-id`; a boolean `DryRun` is `--dry-run` and `--no-dry-run`. */
export interface MemberOption {
  member: string;
  kind: Kind;
  required: boolean;
  /** For a blob, the most bytes it takes: fileb:// reads no more than one byte past it. */
  maxBytes?: number | undefined;
  options: Option[];
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
    return { member, kind, required, maxBytes: blobMaxBytes(schema), options: [option] };
  });
}

/** A path as the AWS CLI reads one after file:// or fileb://: a leading `~` is the home directory, and `$NAME` or `${NAME}` an environment variable (left as it is when unset). */
export function expandPath(path: string): string {
  const home = path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
  return home.replace(/\$(\w+|\{(\w+)\})/g, (whole, name: string, braced: string | undefined) => process.env[braced ?? name] ?? whole);
}

/** The most a file:// value (text, or a whole request) may hold: more than any member of the API model takes. */
export const MAX_FILE_TEXT_BYTES = 1024 * 1024;

/**
 * The bytes of a file named on the command line, read only up to one byte
 * past `limit`, so that a device such as /dev/zero cannot be read forever:
 * ValidationException naming `what` when there is more. A usage error when
 * it cannot be read.
 */
export function readFile(path: string, limit: number, what: string): Buffer {
  let fd: number;
  try {
    fd = openSync(expandPath(path), 'r');
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
  const buffer = Buffer.alloc(limit + 1);
  let length = 0;
  try {
    for (let read = -1; read !== 0 && length <= limit; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
  } catch {
    throw new UsageError(`cannot read ${path}`);
  } finally {
    closeSync(fd);
  }
  if (length > limit) {
    buffer.fill(0);
    throw new KmsError('ValidationException', `${path} holds more than ${String(limit)} bytes, the most ${what} takes.`);
  }
  return buffer.subarray(0, length);
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
  const map = Object.create(null) as Record<string, string>; // so that a name such as __proto__ is a name, which the core refuses, not a prototype
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    if (at < 0 || name === '') throw new UsageError(`${flag} takes name=value pairs separated by commas, or JSON; "${pair}" is not name=value`);
    if (/["']/.test(pair)) throw new UsageError(`${flag}: give JSON for names or values with quotes (shorthand does not take quoting)`);
    map[name] = value;
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
export function fileText(text: string, what = 'a value'): string {
  return text.startsWith('file://') ? readFile(text.slice('file://'.length), MAX_FILE_TEXT_BYTES, what).toString('utf8') : text;
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

/** The request value of one option as given on the command line. */
function valueOf({ member, kind, maxBytes }: MemberOption, given: unknown, format: BinaryFormat): unknown {
  const flag = `--${cliName(member)}`;
  if (kind === 'flag') return given;
  if (kind === 'list' || kind === 'structures') {
    const items = (given as string[]).map((item) => fileText(item, member));
    if (items.length === 1 && items[0]?.trimStart().startsWith('[')) return parseJson(items[0], flag);
    return kind === 'structures' ? items.map((item) => mapOrStructure(item, flag)) : items;
  }
  const text = String(given);
  if (kind === 'blob' && text.startsWith('fileb://')) {
    const bytes = readFile(text.slice('fileb://'.length), maxBytes ?? MAX_FILE_TEXT_BYTES, member);
    try {
      return bytes.toString('base64');
    } finally {
      bytes.fill(0); // a plaintext, perhaps: only the string goes on
    }
  }
  return kind === 'blob' ? blobText(fileText(text, member), format) : PARSE[kind](fileText(text, member), flag);
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
