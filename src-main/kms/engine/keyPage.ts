import type { KeyFilter } from '../../vault/keysRepo';
import type { KeyStore } from './keyStore';
import { isKeyPosition, keyPosition, listPage } from './paging';

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
  const rule = { kind: 'keyList', max: limit, defaultLimit: limit, isPosition: isKeyPosition } as const;
  const { items, paging } = listPage({ Limit: limit, Marker: marker }, rule, (after, count) => store.keys.search(filter, after, count), keyPosition);
  const keys = items.map((row) => ({
    KeyId: row.keyId,
    Arn: store.keyArn(row.keyId),
    Description: row.description,
    KeyState: row.keyState,
    KeyManager: row.keyManager,
    CreationDate: row.createdAt / 1000,
    Aliases: row.aliases === null ? [] : row.aliases.split(' '),
  }));
  return paging.NextMarker === undefined ? { keys } : { keys, nextMarker: paging.NextMarker };
}
