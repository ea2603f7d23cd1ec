import type { Database } from 'better-sqlite3';

/** One audit event, serialized, before it is chained. */
export interface AuditRow {
  seq: number;
  eventTime: string;
  eventName: string;
  record: string;
}

/** hash(n) = SHA-256(hash(n-1) ‖ n as 8 bytes big-endian ‖ stored record JSON); hash(0) is 32 zero bytes. */
export function chainHash(previous: Uint8Array, seq: number, record: string): Buffer;

/** Chains rows onto `lastHash` and inserts them into `db`'s audit table, one transaction per batch. */
export function rowWriter(db: Database, lastHash: Uint8Array): { write(rows: AuditRow[]): void; lastHash(): Buffer };
