import type { Db } from './db';
import type { SealSlot, SealedValue } from './stateSeal';

/** The vault's recovery split: its id, threshold, custodians (in share order), and the root key wrapped under its recovery secret. */
export interface RecoverySplitRow {
  splitId: string;
  threshold: number;
  custodians: string[];
  wrappedRoot: Buffer;
  createdAt: number;
}

type Stored = Omit<RecoverySplitRow, 'custodians'> & { custodians: string; mac: Buffer | null };
const values = (row: RecoverySplitRow): SealedValue[] => [row.splitId, row.threshold, JSON.stringify(row.custodians), row.wrappedRoot, row.createdAt];

/** The one recovery split row, sealed like the key rows (TamperedVaultException on one changed outside Strongroom). */
export class RecoveryRepo {
  private readonly one;
  private readonly put;

  constructor(
    db: Db,
    private readonly seal: SealSlot,
  ) {
    this.one = db.prepare<[], Stored>('SELECT split_id AS splitId, threshold, custodians, wrapped_root AS wrappedRoot, created_at AS createdAt, mac FROM recovery_split');
    this.put = db.prepare('INSERT OR REPLACE INTO recovery_split (only_one, split_id, threshold, custodians, wrapped_root, created_at, mac) VALUES (1, @splitId, @threshold, @custodians, @wrappedRoot, @createdAt, @mac)');
  }

  /** The current split, if the vault has one. */
  get(): RecoverySplitRow | undefined {
    const stored = this.one.get();
    if (stored === undefined) return undefined;
    const { mac, custodians, ...rest } = stored;
    const row = { ...rest, custodians: JSON.parse(custodians) as string[] };
    this.seal.current?.check('recovery_split', values(row), mac, 'the recovery split');
    return row;
  }

  /** Makes `row` the split, replacing the one before (whose shares no longer open anything). */
  replace(row: RecoverySplitRow): void {
    this.put.run({ ...row, custodians: JSON.stringify(row.custodians), mac: this.seal.required().mac('recovery_split', values(row)) });
  }
}
