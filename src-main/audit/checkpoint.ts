import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { AuditKey, AuditKeyMechanism } from '../hsm/auditKey';
import type { Db } from '../vault/db';

/**
 * A signed statement about the audit chain, as CloudTrail's digest files are
 * about its logs: the chain head at a record, when, and the checkpoint
 * before it. The payload is the exact text signed (SHA-256, by the vault's
 * audit key on the token):
 *
 *   strongroom audit checkpoint v1
 *   vault <vault id>
 *   number <n, from 1>
 *   last-record <sequence number of the last record covered; 0 for none>
 *   chain-head <hex chain hash of that record; 64 zeros for none>
 *   time <ISO 8601>
 *   previous <hex SHA-256 of the previous checkpoint's payload; 64 zeros for the first>
 */
export interface Checkpoint {
  vaultId: string;
  number: number;
  lastRecord: number;
  chainHead: string;
  time: string;
  previous: string;
}

/** A checkpoint as stored and exported: its payload text and the signature over it (DER for ECDSA). */
export interface SignedCheckpoint {
  payload: string;
  signature: Buffer;
}

export const NO_HASH = '0'.repeat(64);
const FORMAT = /^strongroom audit checkpoint v1\nvault ([0-9a-f-]{36})\nnumber (\d+)\nlast-record (\d+)\nchain-head ([0-9a-f]{64})\ntime (\S+)\nprevious ([0-9a-f]{64})\n$/;

/** The payload text of `checkpoint`. */
export function checkpointPayload(c: Checkpoint): string {
  return `strongroom audit checkpoint v1\nvault ${c.vaultId}\nnumber ${String(c.number)}\nlast-record ${String(c.lastRecord)}\nchain-head ${c.chainHead}\ntime ${c.time}\nprevious ${c.previous}\n`;
}

/** The checkpoint a payload states, or undefined for text that is not one. */
export function parseCheckpoint(payload: string): Checkpoint | undefined {
  const m = FORMAT.exec(payload);
  if (m === null) return undefined;
  const [, vaultId = '', number = '', lastRecord = '', chainHead = '', time = '', previous = ''] = m;
  return { vaultId, number: Number(number), lastRecord: Number(lastRecord), chainHead, time, previous };
}

/** What the next checkpoint names as its previous one: the SHA-256 of `payload`, hex. */
export function payloadHash(payload: string): string {
  return createHash('sha256').update(payload).digest('hex');
}

/** True when `signature` is the audit key's signature over `payload`. */
export function signatureValid(publicKey: KeyObject, { payload, signature }: SignedCheckpoint): boolean {
  try {
    return verify('sha256', Buffer.from(payload), publicKey, signature);
  } catch {
    return false;
  }
}

/** A signed checkpoint as the token keeps it: the payload, a blank line, the signature in base64. */
export function encodeForToken({ payload, signature }: SignedCheckpoint): Buffer {
  return Buffer.from(`${payload}\n${signature.toString('base64')}`);
}

export function decodeFromToken(value: Buffer): SignedCheckpoint | undefined {
  const text = value.toString('utf8');
  const at = text.lastIndexOf('\n\n');
  if (at < 0) return undefined;
  return { payload: text.slice(0, at + 1), signature: Buffer.from(text.slice(at + 2), 'base64') };
}

/** The vault's audit key as stored (audit_key), or undefined for a vault that has none yet. */
export function readAuditKey(db: Db): AuditKey | undefined {
  const row = db.prepare('SELECT mechanism, object_id, public_key FROM audit_key').get() as { mechanism: AuditKeyMechanism; object_id: Buffer; public_key: Buffer } | undefined;
  return row === undefined ? undefined : { mechanism: row.mechanism, objectId: row.object_id, publicKey: row.public_key };
}

export function insertAuditKey(db: Db, key: AuditKey, createdAt: number): void {
  db.prepare('INSERT INTO audit_key (singleton, mechanism, object_id, public_key, created_at) VALUES (1, ?, ?, ?, ?)').run(key.mechanism, key.objectId, key.publicKey, createdAt);
}

/** An audit key the vault signed with before its current one, and the last checkpoint it signed. */
export interface RetiredAuditKey {
  untilCheckpoint: number;
  publicKey: Buffer;
}

/** The audit keys retired so far, oldest first: each signed the checkpoints after the one before it, up to its untilCheckpoint. */
export function readRetiredAuditKeys(db: Db): RetiredAuditKey[] {
  return db.prepare('SELECT until_checkpoint AS untilCheckpoint, public_key AS publicKey FROM audit_keys_retired ORDER BY until_checkpoint').all() as RetiredAuditKey[];
}

/**
 * Retires the vault's audit key (when the vault moves to another token,
 * which holds a new one): it keeps covering the checkpoints it signed, up to
 * the newest (a key that signed none is dropped); the next checkpoint is
 * signed by the key that replaces it.
 */
export function retireAuditKey(db: Db, retiredAt: number): void {
  const newest = db.prepare('SELECT max(number) FROM audit_checkpoints').pluck().get() as number | null;
  if (newest !== null) {
    db.prepare(
      `INSERT OR IGNORE INTO audit_keys_retired (until_checkpoint, mechanism, object_id, public_key, created_at, retired_at)
       SELECT ?, mechanism, object_id, public_key, created_at, ? FROM audit_key`,
    ).run(newest, retiredAt);
  }
  db.prepare('DELETE FROM audit_key').run();
}

/** The audit public key as a KeyObject, from SPKI DER or PEM. */
export function publicKeyFrom(spkiOrPem: Buffer | string): KeyObject {
  return typeof spkiOrPem === 'string' ? createPublicKey(spkiOrPem) : createPublicKey({ key: spkiOrPem, format: 'der', type: 'spki' });
}

/** Every stored checkpoint, oldest first. */
export function readCheckpoints(db: Db): (SignedCheckpoint & { number: number })[] {
  return db.prepare('SELECT number, payload, signature FROM audit_checkpoints ORDER BY number').all() as (SignedCheckpoint & { number: number })[];
}

/** The newest stored checkpoint, or undefined. */
export function newestCheckpoint(db: Db): SignedCheckpoint | undefined {
  return db.prepare('SELECT payload, signature FROM audit_checkpoints ORDER BY number DESC LIMIT 1').get() as SignedCheckpoint | undefined;
}

export function insertCheckpoint(db: Db, number: number, signed: SignedCheckpoint): void {
  db.prepare('INSERT INTO audit_checkpoints (number, payload, signature) VALUES (?, ?, ?)').run(number, signed.payload, signed.signature);
}
