import { compile, search } from 'jmespath';
import { jsonText, UsageError } from './output';
import { textLines } from './textOutput';

declare module 'jmespath' {
  /** Parses an expression without running it: jmespath.js exports it, its published types leave it out. */
  export function compile(expression: string): unknown;
}

/** The output formats of `--output`, as the AWS CLI names them. */
export const OUTPUT_FORMATS = ['json', 'text'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Refuses a --query that is not JMESPath, before the command runs. */
export function checkQuery(query: string | undefined): void {
  if (query === undefined) return;
  try {
    compile(query);
  } catch (error) {
    throw new UsageError(`Bad value for --query ${query}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * What a KMS command prints for `response`: the part `query` (JMESPath)
 * selects, in `format`, as the AWS CLI prints it; nothing for an empty
 * response without a query, or for text with no line, as the AWS CLI does.
 * In text, a listing's NextToken comes last, on a line of its own, as
 * `{"NextToken": {"NextToken": …}}` (which the query also sees).
 * Throws when the query fails on this response.
 */
export function formatResponse(response: unknown, query: string | undefined, format: OutputFormat): string | undefined {
  if (format === 'text' && response !== null && typeof response === 'object' && 'NextToken' in response) {
    const { NextToken, ...items } = response;
    const parts = [formatValue(items, query, format), formatValue({ NextToken: { NextToken } }, query, format)];
    return parts.filter((part) => part !== undefined).join('\n');
  }
  return formatValue(response, query, format);
}

/** One value, as formatResponse prints it. */
function formatValue(response: unknown, query: string | undefined, format: OutputFormat): string | undefined {
  let value: unknown = response ?? null;
  if (query !== undefined) {
    try {
      value = search(value, query) as unknown;
    } catch (error) {
      throw new Error(`--query ${query} failed on the response: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) return undefined;
  if (format === 'json') return jsonText(value);
  const lines = textLines(value);
  return lines.length === 0 ? undefined : lines.join('\n');
}
