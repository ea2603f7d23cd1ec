import type { Db } from './db';
import type { SealSlot, SealedValue } from './stateSeal';

/** One backing-key version of a KMS key: its material, wrapped by the vault root key. */
export interface KeyVersionRow {
  keyId: string;
  version: number;
  materialId: string;
  wrapped: Buffer;
  createdAt: number;
  rotationType: 'AUTOMATIC' | 'ON_DEMAND' | null;
}

type StoredVersionRow = KeyVersionRow & { mac: Buffer | null };

const COLUMNS = 'key_id AS keyId, version, material_id AS materialId, wrapped, created_at AS createdAt, rotation_type AS rotationType, mac';

/** Every column of a version, in the order its seal covers them. */
function sealedValues(row: KeyVersionRow): SealedValue[] {
  return [row.keyId, row.version, row.materialId, row.wrapped, row.createdAt, row.rotationType];
}

/**
 * Prepared statements over the key_versions table. While the vault is
 * unlocked every row read is checked against its seal (TamperedVaultException),
 * and every row written is sealed. The key store reads a version once, when
 * its backing key enters the cache.
 */
export class KeyVersionsRepo {
  private readonly one;
  private readonly all;
  private readonly insertRow;
  private readonly every;
  private readonly setMac;
  private readonly deleteOfKey;

  constructor(
    db: Db,
    private readonly seal: SealSlot,
  ) {
    this.one = db.prepare<[string, number], StoredVersionRow>(`SELECT ${COLUMNS} FROM key_versions WHERE key_id = ? AND version = ?`);
    this.all = db.prepare<[string], StoredVersionRow>(`SELECT ${COLUMNS} FROM key_versions WHERE key_id = ? ORDER BY version`);
    this.insertRow = db.prepare(
      'INSERT INTO key_versions (key_id, version, material_id, wrapped, created_at, rotation_type, mac) VALUES (@keyId, @version, @materialId, @wrapped, @createdAt, @rotationType, @mac)',
    );
    this.every = db.prepare<[], StoredVersionRow>(`SELECT ${COLUMNS} FROM key_versions`);
    this.setMac = db.prepare<[Buffer, string, number]>('UPDATE key_versions SET mac = ? WHERE key_id = ? AND version = ?');
    this.deleteOfKey = db.prepare<[string]>('DELETE FROM key_versions WHERE key_id = ?');
  }

  get(keyId: string, version: number): KeyVersionRow | undefined {
    const stored = this.one.get(keyId, version);
    return stored === undefined ? undefined : this.checked(stored);
  }

  /** Every version of the key, oldest first. */
  list(keyId: string): KeyVersionRow[] {
    return this.all.all(keyId).map((stored) => this.checked(stored));
  }

  insert(row: KeyVersionRow): void {
    this.insertRow.run({ ...row, mac: this.seal.required().mac('key_versions', sealedValues(row)) });
  }

  /** Deletes every version of the key (its imported material, deleted or expired). */
  deleteAll(keyId: string): void {
    this.deleteOfKey.run(keyId);
  }

  /** Checks the seal of every version (TamperedVaultException names the first that fails). */
  checkAll(): void {
    for (const stored of this.every.iterate()) this.checked(stored);
  }

  /** Seals every version as it is: for a vault that had no seals yet. */
  sealAll(): void {
    const seal = this.seal.required();
    for (const row of this.every.all()) this.setMac.run(seal.mac('key_versions', sealedValues(row)), row.keyId, row.version);
  }

  /** The row without its seal, after checking the seal when the vault is unlocked. */
  private checked(stored: StoredVersionRow): KeyVersionRow {
    const { mac, ...row } = stored;
    this.seal.current?.check('key_versions', sealedValues(row), mac, `the row of key ${row.keyId}'s version ${String(row.version)}`);
    return row;
  }
}
