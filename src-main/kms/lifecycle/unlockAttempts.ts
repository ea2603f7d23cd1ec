import { KmsError } from '../../../src-shared/errors';
import { MAX_UNLOCK_ATTEMPTS } from '../../../src-shared/limits';
import type { Db } from '../../vault/db';
import { readSetting, writeSetting } from '../../vault/vaultRepo';

/**
 * Failed unlocks, counted in the vault's database: the first few tries are
 * free, then each waits twice as long as the one before, and after the
 * configured number in a row the vault refuses every unlock until a security
 * officer resets the PIN. The count lives in the vault file, which cannot be
 * authenticated while the vault is locked: it stops guessing through the
 * app, the command line and the browser host, not guessing on a copy of the
 * files (the embedded token's Argon2id prices that).
 */

const FAILURES = 'failed-unlocks';
const MAX_SETTING = 'max-unlock-attempts';
export const DEFAULT_MAX_UNLOCK_ATTEMPTS = 10;
/** Failures that cost no wait. */
const FREE_TRIES = 3;
const MAX_DELAY_MS = 5 * 60_000;

export interface Failures {
  count: number;
  /** When the last counted try began, ms since the epoch. */
  at: number;
}

function readFailures(db: Db): Failures {
  try {
    const stored = JSON.parse(readSetting(db, FAILURES) ?? 'null') as Partial<Failures> | null;
    if (stored !== null && Number.isInteger(stored.count) && (stored.count ?? -1) >= 0 && typeof stored.at === 'number') return { count: stored.count ?? 0, at: stored.at };
  } catch {
    // An unreadable count is treated as the worst case below.
  }
  return readSetting(db, FAILURES) === undefined ? { count: 0, at: 0 } : { count: Number.MAX_SAFE_INTEGER, at: 0 };
}

/** The number of failed unlocks in a row after which the vault locks out. */
export function maxUnlockAttempts(db: Db): number {
  const stored = Number(readSetting(db, MAX_SETTING) ?? DEFAULT_MAX_UNLOCK_ATTEMPTS);
  return Number.isInteger(stored) && stored >= 1 && stored <= MAX_UNLOCK_ATTEMPTS ? stored : DEFAULT_MAX_UNLOCK_ATTEMPTS;
}

/** Stores the number of failed unlocks allowed; the caller records the change. */
export function writeMaxUnlockAttempts(db: Db, attempts: number): void {
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > MAX_UNLOCK_ATTEMPTS) {
    throw new KmsError('ValidationException', `The number of unlock attempts must be a whole number from 1 to ${String(MAX_UNLOCK_ATTEMPTS)}.`);
  }
  writeSetting(db, MAX_SETTING, String(attempts));
}

/** The wait after `count` failures in a row: none for the first three, then 1 s, 2 s, 4 s … up to 5 minutes. */
function delayAfter(count: number): number {
  return count < FREE_TRIES ? 0 : Math.min(1000 * 2 ** Math.min(count - FREE_TRIES, 20), MAX_DELAY_MS);
}

/** The status members that say how many tries are left, and from when the next one is allowed (seconds since the epoch). */
export function unlockAttemptsStatus(db: Db, now: number): { UnlockAttemptsLeft: number; MaxUnlockAttempts: number; UnlockNotBefore?: number } {
  const max = maxUnlockAttempts(db);
  const failures = readFailures(db);
  const left = Math.max(0, max - failures.count);
  const notBefore = failures.at + delayAfter(failures.count);
  return { UnlockAttemptsLeft: left, MaxUnlockAttempts: max, ...(left > 0 && notBefore > now ? { UnlockNotBefore: notBefore / 1000 } : {}) };
}

/** "N tries left" for a message. */
function triesLeftText(left: number): string {
  return `${String(left)} ${left === 1 ? 'try' : 'tries'} left before the vault locks out`;
}

/** Throws VaultLockedOutException once the allowed failures are used up, and UnlockDelayedException while the wait after the last failure runs. */
export function assertMayTryUnlock(db: Db, now: number): void {
  const max = maxUnlockAttempts(db);
  const failures = readFailures(db);
  if (failures.count >= max) {
    throw new KmsError(
      'VaultLockedOutException',
      `The vault is locked out after ${String(max)} wrong PINs in a row. A security officer can let you in again: "strongroom reset-pin" sets a new PIN with the token's security-officer PIN.`,
    );
  }
  const waitMs = failures.at + delayAfter(failures.count) - now;
  if (waitMs > 0) {
    throw new KmsError('UnlockDelayedException', `Too many wrong PINs: Wait ${String(Math.ceil(waitMs / 1000))} s before trying again (${triesLeftText(max - failures.count)}).`);
  }
}

/**
 * Counts a try before it is made, so that ending the process during it
 * does not escape the count. Returns the count to restore when the try
 * fails for another reason than a wrong PIN.
 */
export function countUnlockTry(db: Db, now: number): Failures {
  const before = readFailures(db);
  writeSetting(db, FAILURES, JSON.stringify({ count: before.count + 1, at: now }));
  return before;
}

/** Clears the count: after a successful unlock or a security-officer reset. */
export function clearUnlockFailures(db: Db): void {
  writeSetting(db, FAILURES, JSON.stringify({ count: 0, at: 0 }));
}

/**
 * Settles a try that failed with `error`: a wrong PIN stays counted, and its
 * message says how many tries are left (`lockedOut` when none is); any other
 * failure (the token missing, say) did not test the PIN and is uncounted.
 */
export function failedUnlock(db: Db, error: unknown, before: Failures): { error: unknown; lockedOut: boolean } {
  if (!(error instanceof KmsError && error.type === 'IncorrectPinException')) {
    writeSetting(db, FAILURES, JSON.stringify(before));
    return { error, lockedOut: false };
  }
  const left = Math.max(0, maxUnlockAttempts(db) - readFailures(db).count);
  if (left === 0) {
    return { error: new KmsError('IncorrectPinException', `${error.message} The vault is now locked out: "strongroom reset-pin" with the security-officer PIN lets you in again.`), lockedOut: true };
  }
  return { error: new KmsError('IncorrectPinException', `${error.message} ${triesLeftText(left)}.`), lockedOut: false };
}
