import { compile, search, type JSONValue } from '@jmespath-community/jmespath';
import { jsonText, UsageError } from './output';

/** The output formats of `--output`, as the AWS CLI names them. */
export const OUTPUT_FORMATS = ['json', 'text'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

type Scalar = string | number | boolean | null;

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** A scalar as the AWS CLI's text output writes it (Python's spelling of true, false and null). */
function scalarText(value: Scalar): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/**
 * `value` as the AWS CLI's text output writes it: a scalar as itself, a list
 * of scalars or an object of scalars (in the order of its names) as one line
 * of tab-separated values. Anything deeper needs a --query that selects less.
 */
function asText(value: unknown): string {
  if (isScalar(value)) return scalarText(value);
  const values = Array.isArray(value) ? (value as unknown[]) : Object.keys(value as object).sort().map((name) => (value as Record<string, unknown>)[name]);
  if (!values.every(isScalar)) throw new UsageError('--output text prints a value, or a list or object of values; add a --query that selects one (e.g. --query CiphertextBlob), or use --output json');
  return values.map(scalarText).join('\t');
}

function badQuery(query: string, error: unknown): UsageError {
  return new UsageError(`Bad value for --query ${query}: ${error instanceof Error ? error.message : String(error)}`);
}

/** Refuses a --query that is not JMESPath, before the command runs. */
export function checkQuery(query: string | undefined): void {
  if (query === undefined) return;
  try {
    compile(query);
  } catch (error) {
    throw badQuery(query, error);
  }
}

/**
 * What a KMS command prints for `response`: the part `query` (JMESPath)
 * selects, in `format`, as the AWS CLI prints it; nothing for an empty
 * response without a query, as the AWS CLI does.
 */
export function formatResponse(response: unknown, query: string | undefined, format: OutputFormat): string | undefined {
  let value = response ?? null;
  if (query !== undefined) {
    try {
      value = search(value as JSONValue, query);
    } catch (error) {
      throw badQuery(query, error);
    }
  } else if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) return undefined;
  return format === 'text' ? asText(value) : jsonText(value);
}
