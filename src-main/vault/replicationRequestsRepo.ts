import type { Db } from './db';

/** A replication request this vault gave out: its wrapping private key, wrapped by the root key, and until when it is good. */
export interface ReplicationRequestRow {
  requestId: string;
  wrappedPrivateKey: Buffer;
  validTo: number;
}

/** The replication requests a vault has given out and not yet used (each opens one replica bundle). */
export class ReplicationRequestsRepo {
  constructor(private readonly db: Db) {}

  add(row: ReplicationRequestRow, now: number): void {
    this.db.prepare('DELETE FROM replication_requests WHERE valid_to <= ?').run(now);
    this.db.prepare('INSERT INTO replication_requests (request_id, wrapped_private_key, valid_to) VALUES (@requestId, @wrappedPrivateKey, @validTo)').run(row);
  }

  get(requestId: string): ReplicationRequestRow | undefined {
    return this.db.prepare('SELECT request_id AS requestId, wrapped_private_key AS wrappedPrivateKey, valid_to AS validTo FROM replication_requests WHERE request_id = ?').get(requestId) as ReplicationRequestRow | undefined;
  }

  delete(requestId: string): void {
    this.db.prepare('DELETE FROM replication_requests WHERE request_id = ?').run(requestId);
  }
}
