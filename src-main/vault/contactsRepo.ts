import type { Db } from './db';
import type { SealSlot, SealedValue } from './stateSeal';

/** One contact: a named public key (base64 SubjectPublicKeyInfo, or an age recipient). */
export interface ContactRow {
  name: string;
  kind: 'rsa' | 'ec' | 'age';
  publicKey: string;
  fingerprint: string;
  description: string;
  createdAt: number;
}

const COLUMNS = 'name, kind, public_key AS publicKey, fingerprint, description, created_at AS createdAt, mac';
const values = (row: ContactRow): SealedValue[] => [row.name, row.kind, row.publicKey, row.fingerprint, row.description, row.createdAt];

/** Prepared statements over contacts, each row sealed like the key rows (TamperedVaultException on one changed outside Strongroom). */
export class ContactsRepo {
  private readonly one;
  private readonly every;
  private readonly insertRow;
  private readonly deleteRow;
  private readonly countRows;

  constructor(
    db: Db,
    private readonly seal: SealSlot,
  ) {
    this.one = db.prepare<[string], ContactRow & { mac: Buffer | null }>(`SELECT ${COLUMNS} FROM contacts WHERE name = ?`);
    this.every = db.prepare<[], ContactRow & { mac: Buffer | null }>(`SELECT ${COLUMNS} FROM contacts ORDER BY name`);
    this.insertRow = db.prepare('INSERT INTO contacts (name, kind, public_key, fingerprint, description, created_at, mac) VALUES (@name, @kind, @publicKey, @fingerprint, @description, @createdAt, @mac)');
    this.deleteRow = db.prepare<[string]>('DELETE FROM contacts WHERE name = ?');
    this.countRows = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM contacts');
  }

  private checked(stored: (ContactRow & { mac: Buffer | null }) | undefined): ContactRow | undefined {
    if (stored === undefined) return undefined;
    const { mac, ...row } = stored;
    this.seal.current?.check('contacts', values(row), mac, `the contact ${row.name}`);
    return row;
  }

  /** The contact named `name`, in any case. */
  get(name: string): ContactRow | undefined {
    return this.checked(this.one.get(name));
  }

  /** Every contact, by name. */
  all(): ContactRow[] {
    return this.every.all().flatMap((stored) => this.checked(stored) ?? []);
  }

  insert(row: ContactRow): void {
    this.insertRow.run({ ...row, mac: this.seal.required().mac('contacts', values(row)) });
  }

  delete(name: string): void {
    this.deleteRow.run(name);
  }

  count(): number {
    return this.countRows.get()?.n ?? 0;
  }
}
