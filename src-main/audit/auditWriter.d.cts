import type { Database } from 'better-sqlite3';

/** Records packed one after another in a buffer of their own, ready to hand to a writer (see auditWriter.cjs for the layout). */
export class RecordBatch {
  constructor(capacity?: number);
  /** The buffer; its ArrayBuffer is the batch's own, so it can be transferred to the writer thread. */
  readonly bytes: Buffer<ArrayBuffer>;
  /** Bytes of `bytes` in use. */
  readonly used: number;
  /** Records in the batch. */
  readonly count: number;
  /** Appends one record's JSON, which begins with its event time, event name and caller, as record.ts writes it, and whether its call failed and was cryptographic. */
  add(json: string, failed: boolean, dataPlane: boolean): void;
  /** An empty batch with room for a quarter more bytes than this one holds (or the default). */
  next(): RecordBatch;
}

/** hash(n) = SHA-256(hash(n-1) ‖ n as 8 bytes big-endian ‖ stored record JSON); hash(0) is 32 zero bytes. */
export function chainHash(previous: Uint8Array, seq: number, record: string): Buffer;

/** The writer thread's own connection to the vault database at `file`: busy_timeout 10 s, synchronous FULL. */
export function openWriterConnection(file: string): Database;

/** A function that numbers, chains and appends a batch's records after the last row of `db`'s audit table, with their search entries and keys, in one transaction. */
export function rowWriter(db: Database): (batch: RecordBatch) => void;
