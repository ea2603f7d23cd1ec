import { KmsError } from '../../../src-shared/errors';

/**
 * Opaque paging markers: base64url of JSON. A marker is only ever one this
 * vault handed out; anything else is InvalidMarkerException.
 */
export function encodeMarker(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Reads a marker back, checking its shape with `isPosition`. */
export function decodeMarker<T>(marker: string, isPosition: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isPosition(value)) throw new KmsError('InvalidMarkerException', 'The marker is not one this vault returned. Start again without Marker.');
  return value;
}

/** How a list is paged: what its markers are for, and AWS's limits for Limit. */
export interface PageRule {
  kind: 'alias' | 'tag';
  max: number;
  defaultLimit: number;
}

type Position = [PageRule['kind'], string];

/** The paging members of a list response. */
export interface Paging {
  Truncated: boolean;
  NextMarker?: string;
}

/**
 * One page of a list ordered by name (ListAliases, ListResourceTags): up to
 * Limit items after the Marker, and the Truncated and NextMarker members of
 * the response. `fetch(after, count)` gives up to `count` items named after `after`.
 */
export function pageByName<T>(
  request: { Limit?: number | undefined; Marker?: string | undefined },
  rule: PageRule,
  fetch: (after: string, count: number) => T[],
  nameOf: (item: T) => string,
): { items: T[]; paging: Paging } {
  const limit = request.Limit ?? rule.defaultLimit;
  if (limit > rule.max) throw new KmsError('ValidationException', `Limit must be between 1 and ${String(rule.max)}; it was ${String(limit)}.`);
  const isPosition = (value: unknown): value is Position => Array.isArray(value) && value.length === 2 && value[0] === rule.kind && typeof value[1] === 'string';
  const after = request.Marker === undefined ? '' : decodeMarker(request.Marker, isPosition)[1];
  const rows = fetch(after, limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  if (rows.length <= limit || last === undefined) return { items, paging: { Truncated: false } };
  return { items, paging: { Truncated: true, NextMarker: encodeMarker([rule.kind, nameOf(last)] satisfies Position) } };
}
