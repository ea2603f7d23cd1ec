import type { Door } from '../../src-shared/caller';
import { KmsError } from '../../src-shared/errors';
import { auditEvent } from '../audit/events';
import type { AuditEvent } from '../audit/record';

/** The most characters a refusal record keeps of a channel name, a reason or a user agent. */
export const MAX_FIELD = 128;
/** Refusals recorded one by one in a burst, and then per second; the rest are counted. */
const BURST = 20;
const PER_SECOND = 2;
/** How long refusals are counted before their summary is written. */
const SUMMARY_SECONDS = 10;
/** Reasons a summary counts apart; any others are counted as "other". */
const MAX_REASONS = 10;

/** A request that a door refused before it reached its handler. */
export interface Refusal {
  readonly channel: string;
  readonly reason: string;
  readonly userAgent?: string | undefined;
}

/** `text`, cut to {@link MAX_FIELD} characters. */
export function bounded(text: string): string {
  return text.length > MAX_FIELD ? `${text.slice(0, MAX_FIELD)}…` : text;
}

/** `error` with its message cut as {@link bounded} cuts a field. */
function boundedError(error: unknown): unknown {
  return error instanceof KmsError && error.message.length > MAX_FIELD ? new KmsError(error.type, bounded(error.message)) : error;
}

/**
 * Records refused requests in the audit log without letting them fill the
 * disk: every field is cut to {@link MAX_FIELD} characters and no request
 * body is kept; refusals are recorded one by one up to a burst of 20, then
 * two per second, and the others are counted by reason and written as one
 * RefusedRequests record per ten seconds of refusals ("N refused requests in
 * the last T s"). `write` may throw (no vault to record in): the refusal
 * stands unrecorded.
 */
export class RefusalLog {
  /** Refusals that may be recorded one by one now: refilled at PER_SECOND up to BURST. */
  private allowance = BURST;
  private refilledAt = Date.now();
  private counted = new Map<string, number>();
  private total = 0;
  private since = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly door: Door,
    private readonly write: (event: AuditEvent) => void,
  ) {}

  record(refusal: Refusal, error: unknown): void {
    const now = Date.now();
    this.allowance = Math.min(BURST, this.allowance + ((now - this.refilledAt) / 1000) * PER_SECOND);
    this.refilledAt = now;
    const reason = bounded(refusal.reason);
    if (this.allowance >= 1) {
      this.allowance -= 1;
      const request = { channel: bounded(refusal.channel), reason, ...(refusal.userAgent === undefined ? {} : { userAgent: bounded(refusal.userAgent) }) };
      this.write(auditEvent({ eventName: 'RefusedRequest', actor: { unknown: this.door }, kind: 'change', request, error: boundedError(error) }));
      return;
    }
    if (this.total === 0) {
      this.since = now;
      this.timer = setTimeout(() => {
        this.flush();
      }, SUMMARY_SECONDS * 1000).unref();
    }
    this.total += 1;
    const key = this.counted.has(reason) || this.counted.size < MAX_REASONS ? reason : 'other';
    this.counted.set(key, (this.counted.get(key) ?? 0) + 1);
  }

  /** Writes the summary of the refusals counted so far, if any. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.total === 0) return;
    const seconds = Math.max(1, Math.ceil((Date.now() - this.since) / 1000));
    const request = { count: this.total, seconds, reasons: Object.fromEntries(this.counted) };
    const error = new KmsError('AccessDeniedException', `${String(this.total)} refused requests in the last ${String(seconds)} s, beyond those recorded one by one; counted by reason in requestParameters.`);
    this.total = 0;
    this.counted = new Map();
    try {
      this.write(auditEvent({ eventName: 'RefusedRequests', actor: { unknown: this.door }, kind: 'change', request, error }));
    } catch {
      // The refusals stand even when their summary cannot be recorded.
    }
  }
}
