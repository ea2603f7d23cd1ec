import { createAuditKey, findAuditKey, readTokenCheckpoints, signOnToken, writeTokenCheckpoint, type AuditKey } from '../hsm/auditKey';
import type { TokenSession } from '../hsm/token';
import type { Db } from '../vault/db';
import {
  checkpointPayload, decodeFromToken, encodeForToken, insertAuditKey, insertCheckpoint, newestCheckpoint, NO_HASH, parseCheckpoint, payloadHash, readAuditKey, type SignedCheckpoint,
} from './checkpoint';
import type { TokenEvidence } from './verify';

/** A checkpoint is written once this many records are not yet covered… */
export const CHECKPOINT_EVERY_RECORDS = 10_000;
/** …or once the oldest record not covered is this old; and at every unlock and lock. */
export const CHECKPOINT_EVERY_MS = 5 * 60_000;
/** How often the timer looks at the chain; never on the path of a call. */
const LOOK_EVERY_MS = 10_000;

/**
 * The vault's audit key: the one stored in the vault; else the one the token
 * already holds for it (the vault's row was removed: put back, so that the
 * token's checkpoint still tells); else a new key pair generated on the
 * token, its public half stored, and a first checkpoint signed.
 */
export function ensureAuditKey(db: Db, session: TokenSession, vaultId: string): AuditKey {
  const stored = readAuditKey(db);
  if (stored !== undefined) return stored;
  const held = findAuditKey(session, vaultId);
  const key = held ?? createAuditKey(session, vaultId);
  insertAuditKey(db, key, Date.now());
  if (held === undefined) writeCheckpoint(db, session, vaultId, key, true);
  return key;
}

/** Signs a checkpoint at the chain's head with the vault's audit key and keeps it on the token too: the first on a token the vault has just moved to. */
export function signCheckpoint(db: Db, session: TokenSession, vaultId: string): void {
  writeCheckpoint(db, session, vaultId, ensureAuditKey(db, session, vaultId), true);
}

/** Where the audit chain stands: its last record and that record's chain hash. */
export function chainHead(db: Db): { seq: number; hash: string } {
  const row = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: Buffer } | undefined;
  return row === undefined ? { seq: 0, hash: NO_HASH } : { seq: row.seq, hash: row.hash.toString('hex') };
}

/** Signs a checkpoint at the chain's head and stores it in the vault, then (with `onToken`) on the token; returns false when the newest already covers the head. */
function writeCheckpoint(db: Db, session: TokenSession, vaultId: string, key: AuditKey, onToken: boolean): boolean {
  const head = chainHead(db);
  const newest = newestCheckpoint(db);
  const last = newest === undefined ? undefined : parseCheckpoint(newest.payload);
  if (newest !== undefined && last?.lastRecord === head.seq) return false;
  const number = (last?.number ?? 0) + 1;
  const payload = checkpointPayload({
    vaultId, number, lastRecord: head.seq, chainHead: head.hash, time: new Date().toISOString(), previous: newest === undefined ? NO_HASH : payloadHash(newest.payload),
  });
  const signed = { payload, signature: signOnToken(session, key, Buffer.from(payload)) };
  insertCheckpoint(db, number, signed); // the vault first: a token ahead of the vault means a rollback
  if (onToken) writeTokenCheckpoint(session, vaultId, encodeForToken(signed));
  return true;
}

/**
 * Signs checkpoints of the audit chain while the vault is unlocked: at
 * unlock, from a timer (every 10,000 records or 5 minutes, whichever comes
 * first) and at lock, never on the path of a call. Each is stored in the
 * vault and kept on the token as well, where rolling the vault's files back
 * cannot reach it; if the token's checkpoint is not one of the vault's (its
 * files were rolled back or replaced), the token's is left as it is, as the
 * evidence `audit verify` reports.
 */
export class AuditCheckpointer {
  private readonly timer: NodeJS.Timeout;
  private readonly key: AuditKey;
  private coveredAt = Date.now();
  /** The token holds a checkpoint the vault does not: that evidence is never overwritten. */
  private readonly tokenAhead: boolean;

  constructor(
    private readonly db: Db,
    private readonly session: TokenSession,
    private readonly vaultId: string,
  ) {
    this.key = ensureAuditKey(db, session, vaultId);
    this.tokenAhead = !this.tokenAgrees();
    this.checkpoint();
    this.timer = setInterval(() => {
      this.checkpointIfDue();
    }, LOOK_EVERY_MS).unref();
  }

  /** `data` signed (SHA-256) by the vault's audit key on the token, with the key's mechanism and public key: a ceremony transcript's signature. */
  sign(data: Buffer): { signature: Buffer; mechanism: AuditKey['mechanism']; publicKey: Buffer } {
    return { signature: signOnToken(this.session, this.key, data), mechanism: this.key.mechanism, publicKey: this.key.publicKey };
  }

  /** What the token holds for the vault's audit log: its checkpoint and the audit public key. */
  tokenEvidence(): TokenEvidence {
    return { checkpoint: this.tokenCheckpoint(), publicKey: findAuditKey(this.session, this.vaultId)?.publicKey };
  }

  /** The newest checkpoint the token keeps (normally its only one). */
  private tokenCheckpoint(): SignedCheckpoint | undefined {
    const kept = readTokenCheckpoints(this.session, this.vaultId).flatMap((value) => decodeFromToken(value) ?? []);
    const number = (c: SignedCheckpoint): number => parseCheckpoint(c.payload)?.number ?? 0;
    return kept.reduce<SignedCheckpoint | undefined>((a, b) => (a === undefined || number(b) > number(a) ? b : a), undefined);
  }

  /** True when the token keeps no checkpoint, or one the vault also has. */
  private tokenAgrees(): boolean {
    const kept = this.tokenCheckpoint();
    if (kept === undefined) return true;
    const number = parseCheckpoint(kept.payload)?.number;
    const same = this.db.prepare('SELECT payload FROM audit_checkpoints WHERE number = ?').get(number) as { payload: string } | undefined;
    return same?.payload === kept.payload;
  }

  /** Signs a checkpoint at the chain's head, unless the newest already covers it. */
  checkpoint(): void {
    if (writeCheckpoint(this.db, this.session, this.vaultId, this.key, !this.tokenAhead)) this.coveredAt = Date.now();
  }

  private checkpointIfDue(): void {
    try {
      const newest = newestCheckpoint(this.db);
      const covered = newest === undefined ? 0 : (parseCheckpoint(newest.payload)?.lastRecord ?? 0);
      const behind = chainHead(this.db).seq - covered;
      if (behind >= CHECKPOINT_EVERY_RECORDS || (behind > 0 && Date.now() - this.coveredAt >= CHECKPOINT_EVERY_MS)) this.checkpoint();
    } catch {
      // Tried again at the next look; a token that is gone locks the vault through its health check.
    }
  }

  /** Stops the timer and signs a last checkpoint, over what `flush` has written; never throws: the vault locks either way. */
  close(flush: () => void): void {
    clearInterval(this.timer);
    try {
      flush();
      this.checkpoint();
    } catch {
      // The token or the file failed; the records since the last checkpoint stay unsigned, as verify reports.
    }
  }
}
