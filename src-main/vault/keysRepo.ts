import type { z } from 'zod';
import type { KeySpec, KeyUsageType, OriginType } from '../../src-shared/kms/shapes.generated';
import type { Db } from './db';
import { KeyListQuery, type KeyFilter, type KeyListPlace, type KeyOrder, type StoredKeyState } from './keyListQuery';
import type { SealSlot, SealedValue } from './stateSeal';

export type { StoredKeyState } from './keyListQuery';

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
  /** 1 when the key's material may be wrapped out for another KMS (fixed at creation). */
  exportable: 0 | 1;
  /** A multi-Region key's MultiRegionConfiguration, as JSON; null for a single-Region key. */
  multiRegion: string | null;
}

/** A row as read, with its seal. */
type StoredKeyRow = KeyRow & { mac: Buffer | null };

/** Every column of a key, in the order its seal covers them. */
function sealedValues(row: KeyRow): SealedValue[] {
  return [
    row.keyId, row.createdAt, row.description, row.keySpec, row.keyUsage, row.origin, row.keyManager, row.keyState, row.deletionDate,
    row.pendingWindowDays, row.rotationPeriodDays, row.nextRotationAt, row.onDemandRotations, row.currentVersion,
    // Covered once set: keys made before these columns keep their seals.
    ...(row.exportable === 1 ? ['exportable'] : []),
    ...(row.multiRegion === null ? [] : [row.multiRegion]),
  ];
}

const MAX_CACHED_ROWS = 10_000;
/** A position before every key in creation order, where a list without a position starts. */
const BEFORE_FIRST_KEY: [number, string] = [-1, ''];

const COLUMNS = `keys.key_id AS keyId, keys.created_at AS createdAt, keys.description, keys.key_spec AS keySpec, keys.key_usage AS keyUsage,
  keys.origin, keys.key_manager AS keyManager, keys.key_state AS keyState, keys.deletion_date AS deletionDate,
  keys.pending_window_days AS pendingWindowDays, keys.rotation_period_days AS rotationPeriodDays, keys.next_rotation_at AS nextRotationAt,
  keys.on_demand_rotations AS onDemandRotations, keys.current_version AS currentVersion, keys.exportable, keys.multi_region AS multiRegion, keys.mac`;

/**
 * Prepared statements over the keys table, with a read cache of rows: every
 * write here drops the row it touches, and rows read inside a transaction
 * (which might still roll back) are not cached. While the vault is unlocked
 * every row read is checked against its seal (TamperedVaultException) before
 * it is used or cached, and every write seals the row it leaves; a cached row
 * is not checked again, so calls on a known key cost nothing more.
 */
export class KeysRepo {
  private readonly cache = new Map<string, KeyRow>();
  private readonly byId;
  private readonly page;
  private readonly insertRow;
  private readonly due;
  private readonly listQuery;
  private readonly rewrite;
  private readonly every;
  private readonly setMac;

  constructor(
    private readonly db: Db,
    private readonly seal: SealSlot,
  ) {
    this.byId = db.prepare<[string], StoredKeyRow>(`SELECT ${COLUMNS} FROM keys WHERE key_id = ?`);
    this.page = db.prepare<[number, string, number], StoredKeyRow>(`SELECT ${COLUMNS} FROM keys WHERE (created_at, key_id) > (?, ?) ORDER BY created_at, key_id LIMIT ?`);
    this.insertRow = db.prepare(`INSERT INTO keys (key_id, created_at, description, key_spec, key_usage, origin, key_manager, key_state, deletion_date,
      pending_window_days, rotation_period_days, next_rotation_at, on_demand_rotations, current_version, exportable, multi_region, mac)
      VALUES (@keyId, @createdAt, @description, @keySpec, @keyUsage, @origin, @keyManager, @keyState, @deletionDate,
      @pendingWindowDays, @rotationPeriodDays, @nextRotationAt, @onDemandRotations, @currentVersion, @exportable, @multiRegion, @mac)`);
    this.rewrite = db.prepare(`UPDATE keys SET created_at = @createdAt, description = @description, key_spec = @keySpec, key_usage = @keyUsage, origin = @origin,
      key_manager = @keyManager, key_state = @keyState, deletion_date = @deletionDate, pending_window_days = @pendingWindowDays,
      rotation_period_days = @rotationPeriodDays, next_rotation_at = @nextRotationAt, on_demand_rotations = @onDemandRotations,
      current_version = @currentVersion, multi_region = @multiRegion, mac = @mac WHERE key_id = @keyId`);
    this.every = db.prepare<[], StoredKeyRow>(`SELECT ${COLUMNS} FROM keys`);
    this.setMac = db.prepare<[Buffer, string]>('UPDATE keys SET mac = ? WHERE key_id = ?');
    this.listQuery = new KeyListQuery(db, COLUMNS);
    this.due = db.prepare<[{ now: number }], { keyId: string }>(
      'SELECT key_id AS keyId FROM keys WHERE (deletion_date IS NOT NULL AND deletion_date <= @now) OR (next_rotation_at IS NOT NULL AND next_rotation_at <= @now)',
    );
  }

  /** The key with this id, or undefined. */
  get(keyId: string): KeyRow | undefined {
    const cached = this.cache.get(keyId);
    if (cached !== undefined) return cached;
    const stored = this.byId.get(keyId);
    if (stored === undefined) return undefined;
    const row = this.checked(stored);
    if (this.seal.current !== undefined && !this.db.inTransaction) {
      if (this.cache.size >= MAX_CACHED_ROWS) this.cache.clear();
      this.cache.set(keyId, Object.freeze(row));
    }
    return row;
  }

  /** The row without its seal, after checking the seal when the vault is unlocked. */
  private checked<T extends StoredKeyRow>(stored: T): Omit<T, 'mac'> {
    const { mac, ...row } = stored;
    this.seal.current?.check('keys', sealedValues(row), mac, `the row of key ${row.keyId}`);
    return row;
  }

  insert(row: KeyRow): void {
    this.cache.delete(row.keyId);
    this.insertRow.run({ ...row, mac: this.seal.required().mac('keys', sealedValues(row)) });
  }

  /** Checks the seal of every key (TamperedVaultException names the first that fails). */
  checkAll(): void {
    for (const stored of this.every.iterate()) this.checked(stored);
  }

  /** Seals every key as it is: for a vault that had no seals yet. */
  sealAll(): void {
    const seal = this.seal.required();
    for (const row of this.every.all()) this.setMac.run(seal.mac('keys', sealedValues(row)), row.keyId);
    this.cache.clear();
  }

  /** Forgets the cached rows (their seals were checked with a key that is gone). */
  forgetRows(): void {
    this.cache.clear();
  }

  /** Up to `limit` keys after the position (createdAt, keyId), or from the first, in creation order. */
  listAfter(after: [number, string] | undefined, limit: number): KeyRow[] {
    const [createdAt, keyId] = after ?? BEFORE_FIRST_KEY;
    return this.page.all(createdAt, keyId, limit).map((stored) => this.checked(stored));
  }

  /**
   * One page of keys for the interface's list, filtered and sorted in SQL:
   * `text` matches the key id, description or an alias name (case-insensitive
   * substring); `state` the key state; `tag` a tag key (with `=value`, that
   * value too). After the place `after`, or from the first; each key with its
   * aliases and the value it was sorted by.
   */
  search(filter: KeyFilter, order: KeyOrder, after: KeyListPlace | undefined, limit: number): (KeyRow & { aliases: string | null; sortValue: KeyListPlace[0] })[] {
    const rows = this.listQuery.page(filter, order, after, limit) as (StoredKeyRow & { aliases: string | null; sortValue: KeyListPlace[0] })[];
    return rows.map((stored) => this.checked(stored));
  }

  /** Changes some columns of one key: the row as stored (its seal checked first) with `changes`, sealed again. */
  update(keyId: string, changes: Partial<Omit<KeyRow, 'keyId'>>): void {
    const seal = this.seal.required();
    const stored = this.byId.get(keyId);
    if (stored === undefined) return;
    const row = { ...this.checked(stored), ...changes };
    this.cache.delete(keyId);
    this.rewrite.run({ ...row, mac: seal.mac('keys', sealedValues(row)) });
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
