import type { Database } from 'better-sqlite3';

/** One audit event as the table stores it (see record.ts), before it is serialized, numbered and chained. */
export interface AuditRow {
  readonly eventTime: string;
  readonly eventName: string;
}

/** hash(n) = SHA-256(hash(n-1) ‖ n as 8 bytes big-endian ‖ stored record JSON); hash(0) is 32 zero bytes. */
export function chainHash(previous: Uint8Array, seq: number, record: string): Buffer;

/** A function that numbers, chains and appends rows after the last row of `db`'s audit table, in one transaction. */
export function rowWriter(db: Database): (rows: AuditRow[]) => void;
