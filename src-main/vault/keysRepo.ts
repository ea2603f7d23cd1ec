import type { z } from 'zod';
import type { KeySpec, KeyUsageType, OriginType } from '../../src-shared/kms/shapes.generated';
import type { Db } from './db';

export type StoredKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport';

/** What the interface's key list filters on. */
export interface KeyFilter {
  text?: string | undefined;
  state?: StoredKeyState | undefined;
  tag?: string | undefined;
}

/** A KMS key as stored (no key material: that is in key_versions, wrapped). */
export interface KeyRow {
  keyId: string;
  createdAt: number;
  description: string;
  keySpec: z.infer<ReturnType<typeof KeySpec>>;
  keyUsage: z.infer<ReturnType<typeof KeyUsageType>>;
  origin: z.infer<ReturnType<typeof OriginType>>;
  keyManager: 'AWS' | 'CUSTOMER';
  keyState: StoredKeyState;
  deletionDate: number | null;
  pendingWindowDays: number | null;
  rotationPeriodDays: number | null;
  nextRotationAt: number | null;
  onDemandRotations: number;
  currentVersion: number;
}

const MAX_CACHED_ROWS = 10_000;
/** A position before every key in creation order, where a list without a position starts. */
const BEFORE_FIRST_KEY: [number, string] = [-1, ''];

const COLUMNS = `key_id AS keyId, created_at AS createdAt, description, key_spec AS keySpec, key_usage AS keyUsage, origin,
  key_manager AS keyManager, key_state AS keyState, deletion_date AS deletionDate, pending_window_days AS pendingWindowDays,
  rotation_period_days AS rotationPeriodDays, next_rotation_at AS nextRotationAt, on_demand_rotations AS onDemandRotations,
  current_version AS currentVersion`;

/**
 * Prepared statements over the keys table, with a read cache of rows: every
 * write here drops the row it touches, and rows read inside a transaction
 * (which might still roll back) are not cached.
 */
export class KeysRepo {
  private readonly cache = new Map<string, KeyRow>();
  private readonly byId;
  private readonly page;
  private readonly insertRow;
  private readonly due;
  private readonly filtered;

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[string], KeyRow>(`SELECT ${COLUMNS} FROM keys WHERE key_id = ?`);
    this.page = db.prepare<[number, string, number], KeyRow>(`SELECT ${COLUMNS} FROM keys WHERE (created_at, key_id) > (?, ?) ORDER BY created_at, key_id LIMIT ?`);
    this.insertRow = db.prepare(`INSERT INTO keys (key_id, created_at, description, key_spec, key_usage, origin, key_manager, key_state, deletion_date,
      pending_window_days, rotation_period_days, next_rotation_at, on_demand_rotations, current_version)
      VALUES (@keyId, @createdAt, @description, @keySpec, @keyUsage, @origin, @keyManager, @keyState, @deletionDate,
      @pendingWindowDays, @rotationPeriodDays, @nextRotationAt, @onDemandRotations, @currentVersion)`);
    this.filtered = db.prepare(
      `SELECT ${COLUMNS}, (SELECT group_concat(alias_name, ' ') FROM aliases a WHERE a.key_id = keys.key_id) AS aliases
       FROM keys
       WHERE (created_at, key_id) > (@createdAt, @keyId)
         AND (@state IS NULL OR key_state = @state)
         AND (@text IS NULL OR instr(lower(key_id), @text) > 0 OR instr(lower(description), @text) > 0
              OR EXISTS (SELECT 1 FROM aliases a WHERE a.key_id = keys.key_id AND instr(lower(a.alias_name), @text) > 0))
         AND (@tagKey IS NULL OR EXISTS (SELECT 1 FROM tags t WHERE t.key_id = keys.key_id AND t.tag_key = @tagKey AND (@tagValue IS NULL OR t.tag_value = @tagValue)))
       ORDER BY created_at, key_id LIMIT @limit`,
    );
    this.due = db.prepare<[{ now: number }], { keyId: string }>(
      'SELECT key_id AS keyId FROM keys WHERE (deletion_date IS NOT NULL AND deletion_date <= @now) OR (next_rotation_at IS NOT NULL AND next_rotation_at <= @now)',
    );
  }

  /** The key with this id, or undefined. */
  get(keyId: string): KeyRow | undefined {
    const cached = this.cache.get(keyId);
    if (cached !== undefined) return cached;
    const row = this.byId.get(keyId);
    if (row !== undefined && !this.db.inTransaction) {
      if (this.cache.size >= MAX_CACHED_ROWS) this.cache.clear();
      this.cache.set(keyId, Object.freeze(row));
    }
    return row;
  }

  insert(row: KeyRow): void {
    this.cache.delete(row.keyId);
    this.insertRow.run(row);
  }

  /** Up to `limit` keys after the position (createdAt, keyId), or from the first, in creation order. */
  listAfter(after: [number, string] | undefined, limit: number): KeyRow[] {
    const [createdAt, keyId] = after ?? BEFORE_FIRST_KEY;
    return this.page.all(createdAt, keyId, limit);
  }

  /**
   * One page of keys for the interface's list, filtered in SQL: `text` matches
   * the key id, description or an alias name (case-insensitive substring);
   * `state` the key state; `tag` a tag key (with `=value`, that value too).
   * In creation order after the position (createdAt, keyId), or from the first; with their aliases.
   */
  search(filter: KeyFilter, after: [number, string] | undefined, limit: number): (KeyRow & { aliases: string | null })[] {
    const [tagKey, tagValue] = filter.tag === undefined ? [null, null] : (filter.tag.split(/=(.*)/s) as [string, string | undefined]);
    const [createdAt, keyId] = after ?? BEFORE_FIRST_KEY;
    return this.filtered.all({
      createdAt,
      keyId,
      state: filter.state ?? null,
      text: filter.text === undefined || filter.text === '' ? null : filter.text.toLowerCase(),
      tagKey: tagKey ?? null,
      tagValue: tagValue ?? null,
      limit,
    }) as (KeyRow & { aliases: string | null })[];
  }

  /** Changes some columns of one key. */
  update(keyId: string, changes: Partial<Omit<KeyRow, 'keyId'>>): void {
    const names = Object.keys(changes);
    if (names.length === 0) return;
    const column = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const sets = names.map((name) => `${column(name)} = @${name}`).join(', ');
    this.cache.delete(keyId);
    this.db.prepare(`UPDATE keys SET ${sets} WHERE key_id = @keyId`).run({ ...changes, keyId });
  }

  /** Removes the key with its versions, aliases and tags. */
  delete(keyId: string): void {
    this.cache.delete(keyId);
    this.db.prepare('DELETE FROM keys WHERE key_id = ?').run(keyId);
  }

  /** Ids of keys whose deletion date or next automatic rotation has come by `now`. */
  dueAt(now: number): string[] {
    return this.due.all({ now }).map((r) => r.keyId);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM keys').get() as { n: number }).n;
  }
}
