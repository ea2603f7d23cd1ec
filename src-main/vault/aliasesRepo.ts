import type { Db } from './db';

export interface AliasRow {
  aliasName: string;
  keyId: string;
  createdAt: number;
  updatedAt: number;
}

const COLUMNS = 'alias_name AS aliasName, key_id AS keyId, created_at AS createdAt, updated_at AS updatedAt';

/** Prepared statements over the aliases table. */
export class AliasesRepo {
  private readonly one;
  private readonly forKey;
  private readonly page;
  private readonly pageForKey;
  private readonly insertRow;
  private readonly retargetRow;
  private readonly deleteRow;

  constructor(db: Db) {
    this.one = db.prepare<[string], AliasRow>(`SELECT ${COLUMNS} FROM aliases WHERE alias_name = ?`);
    this.forKey = db.prepare<[string], AliasRow>(`SELECT ${COLUMNS} FROM aliases WHERE key_id = ? ORDER BY alias_name`);
    this.page = db.prepare<[string, number], AliasRow>(`SELECT ${COLUMNS} FROM aliases WHERE alias_name > ? ORDER BY alias_name LIMIT ?`);
    this.pageForKey = db.prepare<[string, string, number], AliasRow>(`SELECT ${COLUMNS} FROM aliases WHERE key_id = ? AND alias_name > ? ORDER BY alias_name LIMIT ?`);
    this.insertRow = db.prepare<[AliasRow]>('INSERT INTO aliases (alias_name, key_id, created_at, updated_at) VALUES (@aliasName, @keyId, @createdAt, @updatedAt)');
    this.retargetRow = db.prepare<[string, number, string]>('UPDATE aliases SET key_id = ?, updated_at = ? WHERE alias_name = ?');
    this.deleteRow = db.prepare<[string]>('DELETE FROM aliases WHERE alias_name = ?');
  }

  get(aliasName: string): AliasRow | undefined {
    return this.one.get(aliasName);
  }

  /** The aliases of one key, by name. */
  ofKey(keyId: string): AliasRow[] {
    return this.forKey.all(keyId);
  }

  /** Up to `limit` aliases after `afterName`, or from the first (of one key when `keyId` is given), by name. */
  listAfter(afterName: string | undefined, limit: number, keyId?: string): AliasRow[] {
    const after = afterName ?? ''; // every name sorts after the empty one
    return keyId === undefined ? this.page.all(after, limit) : this.pageForKey.all(keyId, after, limit);
  }

  insert(row: AliasRow): void {
    this.insertRow.run(row);
  }

  /** Points an existing alias at another key. */
  retarget(aliasName: string, keyId: string, updatedAt: number): void {
    this.retargetRow.run(keyId, updatedAt, aliasName);
  }

  delete(aliasName: string): void {
    this.deleteRow.run(aliasName);
  }
}
