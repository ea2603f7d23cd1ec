import type { Db } from './db';

/** One backing-key version of a KMS key: its material, wrapped by the vault root key. */
export interface KeyVersionRow {
  keyId: string;
  version: number;
  materialId: string;
  wrapped: Buffer;
  createdAt: number;
  rotationType: 'AUTOMATIC' | 'ON_DEMAND' | null;
}

const COLUMNS = 'key_id AS keyId, version, material_id AS materialId, wrapped, created_at AS createdAt, rotation_type AS rotationType';

/** Prepared statements over the key_versions table. */
export class KeyVersionsRepo {
  private readonly one;
  private readonly all;
  private readonly insertRow;

  constructor(db: Db) {
    this.one = db.prepare<[string, number], KeyVersionRow>(`SELECT ${COLUMNS} FROM key_versions WHERE key_id = ? AND version = ?`);
    this.all = db.prepare<[string], KeyVersionRow>(`SELECT ${COLUMNS} FROM key_versions WHERE key_id = ? ORDER BY version`);
    this.insertRow = db.prepare('INSERT INTO key_versions (key_id, version, material_id, wrapped, created_at, rotation_type) VALUES (@keyId, @version, @materialId, @wrapped, @createdAt, @rotationType)');
  }

  get(keyId: string, version: number): KeyVersionRow | undefined {
    return this.one.get(keyId, version);
  }

  /** Every version of the key, oldest first. */
  list(keyId: string): KeyVersionRow[] {
    return this.all.all(keyId);
  }

  insert(row: KeyVersionRow): void {
    this.insertRow.run(row);
  }
}
