import type { Statement } from 'better-sqlite3';
import type { Db } from './db';

export type StoredKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport';

/** What the interface's key list filters on. */
export interface KeyFilter {
  text?: string | undefined;
  state?: StoredKeyState | undefined;
  tag?: string | undefined;
}

/** The columns the interface's key list sorts by. */
export const KEY_SORTS = ['alias', 'description', 'state', 'created'] as const;
export type KeySortBy = (typeof KEY_SORTS)[number];

/** How the key list is ordered: by a column, then by key id, either way. */
export interface KeyOrder {
  sortBy: KeySortBy;
  descending: boolean;
}

/**
 * A place in the sorted list: the sort value of the last key seen and its id.
 * In the alias order a key's sort value is its first alias by name, and null
 * for a key without aliases (those come after every key with one).
 */
export type KeyListPlace = [value: string | number | null, keyId: string];

/** The sort value of each column sort, as SQL over the keys table (each has an index in this order). */
const SORT_EXPRESSIONS = {
  description: 'keys.description COLLATE NOCASE',
  state: 'keys.key_state',
  created: 'keys.created_at',
} as const;

const FILTERS = `(@state IS NULL OR keys.key_state = @state)
  AND (@text IS NULL OR instr(lower(keys.key_id), @text) > 0 OR instr(lower(keys.description), @text) > 0
       OR EXISTS (SELECT 1 FROM aliases a WHERE a.key_id = keys.key_id AND instr(lower(a.alias_name), @text) > 0))
  AND (@tagKey IS NULL OR EXISTS (SELECT 1 FROM tags t WHERE t.key_id = keys.key_id AND t.tag_key = @tagKey AND (@tagValue IS NULL OR t.tag_value = @tagValue)))`;

/** A key's aliases, by name, separated by spaces (alias names have none). */
const ALIASES = `(SELECT group_concat(alias_name, ' ') FROM (SELECT alias_name FROM aliases a WHERE a.key_id = keys.key_id ORDER BY alias_name)) AS aliases`;

/**
 * The SQL of the interface's key list: one page of keys after a place, in
 * any of the sorts and either direction, each walking an index so that a page
 * costs the same with a hundred thousand keys. The alias order is two walks:
 * the keys with aliases by their first alias, then the keys without by id.
 */
export class KeyListQuery {
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    private readonly columns: string,
  ) {}

  /** Up to `limit` rows after `after` (from the start when undefined), each with the sort value it was placed by. */
  page(filter: KeyFilter, order: KeyOrder, after: KeyListPlace | undefined, limit: number): unknown[] {
    const [tagKey, tagValue] = filter.tag === undefined ? [null, null] : (filter.tag.split(/=(.*)/s) as [string, string | undefined]);
    const params = {
      state: filter.state ?? null,
      text: filter.text === undefined || filter.text === '' ? null : filter.text.toLowerCase(),
      tagKey: tagKey ?? null,
      tagValue: tagValue ?? null,
      value: after?.[0] ?? null,
      keyId: after?.[1] ?? null,
      limit,
    };
    const direction = order.descending ? 'DESC' : 'ASC';
    const beyond = order.descending ? '<' : '>';
    if (order.sortBy !== 'alias') {
      const expression = SORT_EXPRESSIONS[order.sortBy];
      const position = after === undefined ? '' : `AND (${expression}, keys.key_id) ${beyond} (@value, @keyId)`;
      return this.all(
        `SELECT ${this.columns}, ${ALIASES}, ${expression} AS sortValue FROM keys WHERE ${FILTERS} ${position}
         ORDER BY ${expression} ${direction}, keys.key_id ${direction} LIMIT @limit`,
        params,
      );
    }
    const withAliases =
      after !== undefined && after[0] === null
        ? []
        : this.all(
            `SELECT ${this.columns}, ${ALIASES}, first.alias_name AS sortValue FROM aliases first JOIN keys ON keys.key_id = first.key_id
             WHERE first.alias_name = (SELECT min(alias_name) FROM aliases b WHERE b.key_id = first.key_id) AND ${FILTERS}
             ${after === undefined ? '' : `AND first.alias_name ${beyond} @value`}
             ORDER BY first.alias_name ${direction} LIMIT @limit`,
            params,
          );
    if (withAliases.length >= limit) return withAliases;
    const withoutAliases = this.all(
      `SELECT ${this.columns}, ${ALIASES}, NULL AS sortValue FROM keys
       WHERE NOT EXISTS (SELECT 1 FROM aliases b WHERE b.key_id = keys.key_id) AND ${FILTERS}
       ${after?.[0] === null ? `AND keys.key_id ${beyond} @keyId` : ''}
       ORDER BY keys.key_id ${direction} LIMIT @limit`,
      { ...params, limit: limit - withAliases.length },
    );
    return [...withAliases, ...withoutAliases];
  }

  private all(sql: string, params: Record<string, unknown>): unknown[] {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement.all(params);
  }
}
