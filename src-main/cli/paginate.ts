import { UsageError } from './output';

/** How a list operation pages, as the AWS CLI's paginators describe them: KMS's lists take Marker and Limit and give NextMarker, Truncated and one list; IAM's take Marker and MaxItems and give Marker, IsTruncated and one list. */
export interface Paging {
  resultKey: string;
  limit: 'Limit' | 'MaxItems';
  next: 'NextMarker' | 'Marker';
  truncated: 'Truncated' | 'IsTruncated';
}

const STYLES = [
  { limit: 'Limit', next: 'NextMarker', truncated: 'Truncated' },
  { limit: 'MaxItems', next: 'Marker', truncated: 'IsTruncated' },
] as const;

/** The paging of an operation with these request and response members, if it is a list that pages. */
export function pagingOf(request: Record<string, unknown>, response: Record<string, unknown>): Paging | undefined {
  const style = STYLES.find(({ limit, next, truncated }) => 'Marker' in request && limit in request && next in response && truncated in response);
  if (style === undefined) return undefined;
  const results = Object.keys(response).filter((member) => member !== style.next && member !== style.truncated);
  return results.length === 1 && results[0] !== undefined ? { resultKey: results[0], ...style } : undefined;
}

/** The AWS CLI's pagination options. */
export interface PageOptions {
  maxItems?: number | undefined;
  startingToken?: string | undefined;
  pageSize?: number | undefined;
}

/** Where a listing stopped: the marker of the page it stopped in (none for the first) and how many of that page's items it had printed. */
interface Position {
  marker?: string;
  skip: number;
}

function encodeToken(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeToken(token: string): Position {
  try {
    const position = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Position;
    if (Number.isInteger(position.skip) && position.skip >= 0 && (position.marker === undefined || typeof position.marker === 'string')) return position;
  } catch {
    // not JSON: refused below
  }
  throw new UsageError('--starting-token is not a NextToken that this command printed');
}

/**
 * The pages of a list as the AWS CLI prints them: the results of every page
 * in one list, from `--starting-token` on, up to `--max-items` (then with a
 * NextToken to go on from), fetched `--page-size` at a time. `call` runs one
 * page's request.
 */
export async function allPages(call: (request: Record<string, unknown>) => Promise<Record<string, unknown>>, request: Record<string, unknown>, { resultKey, limit, next, truncated }: Paging, options: PageOptions): Promise<Record<string, unknown>> {
  let { marker, skip } = options.startingToken === undefined ? { marker: undefined, skip: 0 } : decodeToken(options.startingToken);
  const items: unknown[] = [];
  const most = options.maxItems ?? Infinity;
  for (;;) {
    const page = await call({ ...request, ...(options.pageSize === undefined ? {} : { [limit]: options.pageSize }), ...(marker === undefined ? {} : { Marker: marker }) });
    const fresh = ((page[resultKey] as unknown[] | undefined) ?? []).slice(skip);
    const room = most - items.length;
    if (fresh.length > room) {
      items.push(...fresh.slice(0, room));
      return { [resultKey]: items, NextToken: encodeToken({ ...(marker === undefined ? {} : { marker }), skip: skip + room }) };
    }
    items.push(...fresh);
    const nextMarker = page[next];
    if (page[truncated] !== true || typeof nextMarker !== 'string') return { [resultKey]: items };
    if (items.length >= most) return { [resultKey]: items, NextToken: encodeToken({ marker: nextMarker, skip: 0 }) };
    marker = nextMarker;
    skip = 0;
  }
}
