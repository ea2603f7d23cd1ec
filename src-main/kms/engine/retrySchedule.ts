const FIRST_RETRY_MS = 60_000;
const LONGEST_WAIT_MS = 24 * 60 * 60 * 1000;

/**
 * When a change Strongroom makes by itself (a due deletion or rotation) that
 * failed may be tried again: a minute after the first failure, then twice as
 * long after each further one, up to a day. Kept in memory: unlocking starts
 * afresh.
 */
export class RetrySchedule {
  private readonly failed = new Map<string, { failures: number; notBefore: number }>();

  /** True unless the last attempt on `keyId` failed and its wait is not over at `now`. */
  allows(keyId: string, now: number): boolean {
    const entry = this.failed.get(keyId);
    return entry === undefined || entry.notBefore <= now;
  }

  /** Notes a failed attempt on `keyId` at `now`. */
  noteFailure(keyId: string, now: number): void {
    const failures = (this.failed.get(keyId)?.failures ?? 0) + 1;
    const wait = Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), LONGEST_WAIT_MS);
    this.failed.set(keyId, { failures, notBefore: now + wait });
  }

  /** Notes that the change to `keyId` was made (or is no longer due). */
  noteSuccess(keyId: string): void {
    this.failed.delete(keyId);
  }

  clear(): void {
    this.failed.clear();
  }
}
