import { KmsError } from '../../../src-shared/errors';
import { KEY_SORTS, type KeyFilter, type KeyListPlace, type KeySortBy } from '../../vault/keyListQuery';
import type { KeyStore } from './keyStore';
import { listPage } from './paging';

/** One row of the interface's key list. */
export interface KeyListRow {
  KeyId: string;
  Arn: string;
  Description: string;
  KeyState: string;
  KeyManager: string;
  KeySpec: string;
  KeyUsage: string;
  CreationDate: number;
  /** When the key will be deleted (epoch seconds), for a key pending deletion. */
  DeletionDate?: number;
  Aliases: string[];
}

/** A position in the key list: the order it is in, then the sort value and id of the last key seen. */
type KeyListPosition = [sortBy: KeySortBy, descending: boolean, value: KeyListPlace[0], keyId: string];

/** The type of each sort's value in a marker: creation time is a number, the others text; a key without aliases has none. */
function isSortValue(sortBy: KeySortBy, value: unknown): boolean {
  if (sortBy === 'created') return typeof value === 'number';
  return typeof value === 'string' || (sortBy === 'alias' && value === null);
}

function isKeyListPosition(value: unknown): value is KeyListPosition {
  if (!Array.isArray(value) || value.length !== 4) return false;
  const [sortBy, descending, sortValue, keyId] = value as unknown[];
  return KEY_SORTS.includes(sortBy as KeySortBy) && typeof descending === 'boolean' && isSortValue(sortBy as KeySortBy, sortValue) && typeof keyId === 'string';
}

/**
 * A page of the key list, filtered, sorted and paged in SQL so that it stays
 * fast with a hundred thousand keys (ListKeys has no filters or sorts, and
 * DescribeKey per row would be a call per key). Its marker holds the order it
 * belongs to, so that paging stays exact: a marker of another order is refused.
 */
export function keyPage(store: KeyStore, query: KeyFilter & { sortBy?: KeySortBy | undefined; descending?: boolean | undefined }, limit: number, marker?: string): { keys: KeyListRow[]; nextMarker?: string } {
  const { sortBy = 'created', descending = false, ...filter } = query;
  const order = { sortBy, descending };
  const rule = { kind: 'keyList', max: limit, defaultLimit: limit, isPosition: isKeyListPosition } as const;
  const fetch = (after: KeyListPosition | undefined, count: number) => {
    if (after !== undefined && (after[0] !== order.sortBy || after[1] !== order.descending)) {
      const was = `${after[0]}${after[1] ? ', descending' : ''}`;
      throw new KmsError('ValidationException', `The marker belongs to the list sorted by ${was}, not to this sort. Ask for the first page of this sort without a marker.`);
    }
    return store.keys.search(filter, order, after === undefined ? undefined : [after[2], after[3]], count);
  };
  const positionOf = (row: { sortValue: KeyListPlace[0]; keyId: string }): KeyListPosition => [order.sortBy, order.descending, row.sortValue, row.keyId];
  const { items, paging } = listPage({ Limit: limit, Marker: marker }, rule, fetch, positionOf);
  const keys = items.map((row) => ({
    KeyId: row.keyId,
    Arn: store.keyArn(row.keyId),
    Description: row.description,
    KeyState: row.keyState,
    KeyManager: row.keyManager,
    KeySpec: row.keySpec,
    KeyUsage: row.keyUsage,
    CreationDate: row.createdAt / 1000,
    ...(row.keyState === 'PendingDeletion' && row.deletionDate !== null ? { DeletionDate: row.deletionDate / 1000 } : {}),
    Aliases: row.aliases === null ? [] : row.aliases.split(' '),
  }));
  return paging.NextMarker === undefined ? { keys } : { keys, nextMarker: paging.NextMarker };
}
