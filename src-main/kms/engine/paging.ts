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

/** How a list is paged: which list its markers belong to, AWS's limits for Limit, and what a position in it looks like. */
export interface PageRule<P> {
  kind: 'alias' | 'tag' | 'key' | 'rotation' | 'keyList' | 'customKeyStore' | 'grant' | 'retirableGrant';
  max: number;
  defaultLimit: number;
  isPosition: (value: unknown) => value is P;
}

/** The paging members of a list response. */
export interface Paging {
  Truncated: boolean;
  NextMarker?: string;
}

/** Positions in lists ordered by name (aliases, tag keys). */
export function isName(value: unknown): value is string {
  return typeof value === 'string';
}

/** A position in a list of keys, ordered by creation time and then key id. */
export type KeyPosition = [createdAt: number, keyId: string];

export function isKeyPosition(value: unknown): value is KeyPosition {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string';
}

export function keyPosition(key: { createdAt: number; keyId: string }): KeyPosition {
  return [key.createdAt, key.keyId];
}

/**
 * One page of an ordered list: up to Limit items after the Marker, and the
 * Truncated and NextMarker members of the response. `fetch(after, count)`
 * gives up to `count` items after position `after` (from the start when
 * undefined); `positionOf` is an item's position, which the next marker holds.
 */
export function listPage<T, P>(
  request: { Limit?: number | undefined; Marker?: string | undefined },
  rule: PageRule<P>,
  fetch: (after: P | undefined, count: number) => T[],
  positionOf: (item: T) => P,
): { items: T[]; paging: Paging } {
  const limit = request.Limit ?? rule.defaultLimit;
  if (limit > rule.max) throw new KmsError('ValidationException', `Limit must be between 1 and ${String(rule.max)}; it was ${String(limit)}.`);
  const isMarker = (value: unknown): value is [string, P] => Array.isArray(value) && value.length === 2 && value[0] === rule.kind && rule.isPosition(value[1]);
  const after = request.Marker === undefined ? undefined : decodeMarker(request.Marker, isMarker)[1];
  const rows = fetch(after, limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  if (rows.length <= limit || last === undefined) return { items, paging: { Truncated: false } };
  return { items, paging: { NextMarker: encodeMarker([rule.kind, positionOf(last)]), Truncated: true } }; // the model's order of members
}
