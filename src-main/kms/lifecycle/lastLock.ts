import type { Db } from '../../vault/db';
import { readSetting, writeSetting } from '../../vault/vaultRepo';

/** Why a vault locked; shown at the next unlock, also after a restart. */
export type LockReason = 'requested' | 'idle' | 'token-removed' | 'tampered' | 'locked-out' | 'closed' | 'ended';

const REASON_TEXT: Record<LockReason, string> = {
  requested: 'Locked on request.',
  idle: 'Locked after the idle time set for auto-lock.',
  'token-removed': 'Locked because the token was removed or stopped answering.',
  tampered: "Locked because the vault file was changed outside Strongroom: a row no longer matched its seal (the audit log names it).",
  'locked-out': 'Locked, and locked out, after too many wrong PINs in a row given to change the PIN.',
  closed: 'Locked because the vault was closed.',
  ended: 'The program that had the vault unlocked ended without locking it.',
};

const SETTING = 'last-lock';

/** The vault's last lock: why, and when (unknown when the holder ended without locking). */
export interface LastLock {
  reason: LockReason;
  at?: number;
}

/** The sentence that says why a vault locked. */
export function lockReasonText(reason: LockReason): string {
  return REASON_TEXT[reason];
}

/** Writes the note; a failure is ignored, for only the next unlock screen's explanation depends on it. */
function note(db: Db, noted: { reason: LockReason | 'unlocked'; at?: number }): void {
  try {
    writeSetting(db, SETTING, JSON.stringify(noted));
  } catch {
    // Unlocking and locking go on without it.
  }
}

/** Notes that the vault is unlocked: whoever next opens it and still finds this knows that its holder ended without locking. */
export function noteUnlocked(db: Db): void {
  note(db, { reason: 'unlocked' });
}

/** Notes why and when the vault locked. */
export function noteLocked(db: Db, reason: LockReason, at: number): void {
  note(db, { reason, at });
}

function isReason(value: unknown): value is LockReason {
  return typeof value === 'string' && Object.hasOwn(REASON_TEXT, value);
}

/**
 * The last lock noted in `db`, or undefined for a vault never unlocked (or a
 * note this version cannot read). Read it only when no process holds the
 * vault unlocked.
 */
export function readLastLock(db: Db): LastLock | undefined {
  let noted: { reason?: unknown; at?: unknown } | null;
  try {
    noted = JSON.parse(readSetting(db, SETTING) ?? 'null') as typeof noted;
  } catch {
    return undefined;
  }
  if (noted === null || typeof noted !== 'object') return undefined;
  if (noted.reason === 'unlocked') return { reason: 'ended' };
  if (!isReason(noted.reason)) return undefined;
  return typeof noted.at === 'number' ? { reason: noted.reason, at: noted.at } : { reason: noted.reason };
}

/** The status members that say why, and since when, a locked vault is locked. */
export function lockStatus(last: LastLock | undefined): { LockReason?: string; LockedAt?: number } {
  if (last === undefined) return {};
  return { LockReason: REASON_TEXT[last.reason], ...(last.at === undefined ? {} : { LockedAt: last.at / 1000 }) };
}
