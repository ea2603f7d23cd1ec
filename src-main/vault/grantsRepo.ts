import type { Db } from './db';
import type { SealSlot, SealedValue } from './stateSeal';

/** One grant as the vault keeps it; operations and constraints as JSON text. */
export interface GrantRow {
  grantId: string;
  keyId: string;
  name: string | null;
  grantee: string;
  retiring: string | null;
  operations: string;
  constraints: string | null;
  issuingAccount: string;
  createdAt: number;
}

const COLUMNS = 'grant_id AS grantId, key_id AS keyId, name, grantee, retiring, operations, constraints, issuing_account AS issuingAccount, created_at AS createdAt, mac';

function sealedValues(row: GrantRow): SealedValue[] {
  return [row.grantId, row.keyId, row.name, row.grantee, row.retiring, row.operations, row.constraints, row.issuingAccount, row.createdAt];
}

/** Where a page of grants starts: after this creation time and grant id. */
export interface GrantPosition {
  readonly createdAt: number;
  readonly grantId: string;
}

/**
 * Prepared statements over grants. A grant allows what its key policy may
 * not, so each row is sealed like the key rows (TamperedVaultException on
 * one changed outside Strongroom).
 */
export class GrantsRepo {
  private readonly insertRow;
  private readonly deleteRow;
  private readonly one;
  private readonly ofKeyRows;
  private readonly pageOfKey;
  private readonly pageRetirable;
  private readonly countRows;

  constructor(
    db: Db,
    private readonly seal: SealSlot,
  ) {
    this.insertRow = db.prepare(
      'INSERT INTO grants (grant_id, key_id, name, grantee, retiring, operations, constraints, issuing_account, created_at, mac) VALUES (@grantId, @keyId, @name, @grantee, @retiring, @operations, @constraints, @issuingAccount, @createdAt, @mac)',
    );
    this.deleteRow = db.prepare<[string]>('DELETE FROM grants WHERE grant_id = ?');
    this.one = db.prepare<[string], GrantRow & { mac: Buffer | null }>(`SELECT ${COLUMNS} FROM grants WHERE grant_id = ?`);
    this.ofKeyRows = db.prepare<[string], GrantRow & { mac: Buffer | null }>(`SELECT ${COLUMNS} FROM grants WHERE key_id = ? ORDER BY created_at, grant_id`);
    this.pageOfKey = db.prepare<[string, number, number, string, number], GrantRow & { mac: Buffer | null }>(
      `SELECT ${COLUMNS} FROM grants WHERE key_id = ? AND (created_at > ? OR (created_at = ? AND grant_id > ?)) ORDER BY created_at, grant_id LIMIT ?`,
    );
    this.pageRetirable = db.prepare<[string, number, number, string, number], GrantRow & { mac: Buffer | null }>(
      `SELECT ${COLUMNS} FROM grants WHERE retiring = ? AND (created_at > ? OR (created_at = ? AND grant_id > ?)) ORDER BY created_at, grant_id LIMIT ?`,
    );
    this.countRows = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM grants WHERE key_id = ?');
  }

  private checked(stored: (GrantRow & { mac: Buffer | null }) | undefined): GrantRow | undefined {
    if (stored === undefined) return undefined;
    const { mac, ...row } = stored;
    this.seal.current?.check('grants', sealedValues(row), mac, `grant ${row.grantId}`);
    return row;
  }

  insert(row: GrantRow): void {
    this.insertRow.run({ ...row, mac: this.seal.required().mac('grants', sealedValues(row)) });
  }

  delete(grantId: string): void {
    this.deleteRow.run(grantId);
  }

  get(grantId: string): GrantRow | undefined {
    return this.checked(this.one.get(grantId));
  }

  /** Every grant of `keyId`, oldest first. */
  ofKey(keyId: string): GrantRow[] {
    return this.ofKeyRows.all(keyId).flatMap((stored) => this.checked(stored) ?? []);
  }

  /** Up to `limit` grants of `keyId` after `after`, oldest first. */
  pageOf(keyId: string, after: GrantPosition | undefined, limit: number): GrantRow[] {
    return this.pageOfKey.all(keyId, after?.createdAt ?? -1, after?.createdAt ?? -1, after?.grantId ?? '', limit).flatMap((stored) => this.checked(stored) ?? []);
  }

  /** Up to `limit` grants `retiring` may retire, after `after`, oldest first. */
  retirableBy(retiring: string, after: GrantPosition | undefined, limit: number): GrantRow[] {
    return this.pageRetirable.all(retiring, after?.createdAt ?? -1, after?.createdAt ?? -1, after?.grantId ?? '', limit).flatMap((stored) => this.checked(stored) ?? []);
  }

  count(keyId: string): number {
    return this.countRows.get(keyId)?.n ?? 0;
  }
}
