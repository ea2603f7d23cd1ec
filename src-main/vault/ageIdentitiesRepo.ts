import type { Db } from './db';
import type { SealSlot, SealedValue } from './stateSeal';

/** One age identity: its name, kind and recipient, and its secret wrapped under the root key. */
export interface AgeIdentityRow {
  name: string;
  kind: 'X25519' | 'MLKEM768X25519';
  recipient: string;
  wrappedSecret: Buffer;
  description: string;
  createdAt: number;
}

const COLUMNS = 'name, kind, recipient, wrapped_secret AS wrappedSecret, description, created_at AS createdAt, mac';
const values = (row: AgeIdentityRow): SealedValue[] => [row.name, row.kind, row.recipient, row.wrappedSecret, row.description, row.createdAt];

/** Prepared statements over age identities, each row sealed like the key rows (TamperedVaultException on one changed outside Strongroom). */
export class AgeIdentitiesRepo {
  private readonly byName;
  private readonly byRecipient;
  private readonly every;
  private readonly insertRow;
  private readonly deleteRow;

  constructor(
    db: Db,
    private readonly seal: SealSlot,
  ) {
    this.byName = db.prepare<[string], AgeIdentityRow & { mac: Buffer | null }>(`SELECT ${COLUMNS} FROM age_identities WHERE name = ?`);
    this.byRecipient = db.prepare<[string], AgeIdentityRow & { mac: Buffer | null }>(`SELECT ${COLUMNS} FROM age_identities WHERE recipient = ?`);
    this.every = db.prepare<[], AgeIdentityRow & { mac: Buffer | null }>(`SELECT ${COLUMNS} FROM age_identities ORDER BY name`);
    this.insertRow = db.prepare('INSERT INTO age_identities (name, kind, recipient, wrapped_secret, description, created_at, mac) VALUES (@name, @kind, @recipient, @wrappedSecret, @description, @createdAt, @mac)');
    this.deleteRow = db.prepare<[string]>('DELETE FROM age_identities WHERE name = ?');
  }

  private checked(stored: (AgeIdentityRow & { mac: Buffer | null }) | undefined): AgeIdentityRow | undefined {
    if (stored === undefined) return undefined;
    const { mac, ...row } = stored;
    this.seal.current?.check('age_identities', values(row), mac, `the age identity ${row.name}`);
    return row;
  }

  /** The identity named `name`, in any case. */
  get(name: string): AgeIdentityRow | undefined {
    return this.checked(this.byName.get(name));
  }

  /** The identity whose recipient is `recipient`. */
  ofRecipient(recipient: string): AgeIdentityRow | undefined {
    return this.checked(this.byRecipient.get(recipient));
  }

  /** Every identity, by name. */
  all(): AgeIdentityRow[] {
    return this.every.all().flatMap((stored) => this.checked(stored) ?? []);
  }

  insert(row: AgeIdentityRow): void {
    this.insertRow.run({ ...row, mac: this.seal.required().mac('age_identities', values(row)) });
  }

  delete(name: string): void {
    this.deleteRow.run(name);
  }
}
