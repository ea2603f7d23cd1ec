import type { KeyFilter } from '../../vault/keysRepo';
import { decodeMarker, encodeMarker } from './paging';
import type { KeyStore } from './keyStore';

type Position = ['keys', number, string];

function isPosition(value: unknown): value is Position {
  return Array.isArray(value) && value.length === 3 && value[0] === 'keys' && typeof value[1] === 'number' && typeof value[2] === 'string';
}

/** One row of the interface's key list. */
export interface KeyListRow {
  KeyId: string;
  Arn: string;
  Description: string;
  KeyState: string;
  KeyManager: string;
  CreationDate: number;
  Aliases: string[];
}

/**
 * A page of the key list, filtered and paged in SQL so that it stays fast
 * with a hundred thousand keys (ListKeys has no filters, and DescribeKey per
 * row would be a call per key).
 */
export function keyPage(store: KeyStore, filter: KeyFilter, limit: number, marker?: string): { keys: KeyListRow[]; nextMarker?: string } {
  const [, createdAt, keyId] = marker === undefined ? ['keys', -1, ''] : decodeMarker(marker, isPosition);
  const rows = store.keys.search(filter, [createdAt, keyId], limit + 1);
  const page = rows.slice(0, limit);
  const keys = page.map((row) => ({
    KeyId: row.keyId,
    Arn: store.keyArn(row.keyId),
    Description: row.description,
    KeyState: row.keyState,
    KeyManager: row.keyManager,
    CreationDate: row.createdAt / 1000,
    Aliases: row.aliases === null ? [] : row.aliases.split(' '),
  }));
  const last = page.at(-1);
  return rows.length > limit && last !== undefined ? { keys, nextMarker: encodeMarker(['keys', last.createdAt, last.keyId] satisfies Position) } : { keys };
}
