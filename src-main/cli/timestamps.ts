import { IAM_TIMESTAMP_MEMBERS } from '../../src-shared/iam/operations';
import { TIMESTAMP_MEMBERS } from '../../src-shared/kms/shapes.generated';
import type { VaultStatus } from '../../src-shared/vault';

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Seconds since the epoch as AWS CLI v2 prints a timestamp: ISO 8601 in the
 * local time zone with its offset, and a fraction of a second only when there
 * is one (Python's isoformat: `2026-11-23T16:31:37.212000+00:00`).
 */
export function isoTimestamp(seconds: number): string {
  const date = new Date(seconds * 1000);
  const offset = -date.getTimezoneOffset();
  const wall = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const ms = date.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0')}000`;
  return `${wall}${fraction}${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** A copy of a response with each timestamp member, at any depth, in ISO 8601 as AWS CLI v2 prints it (and queries see it). */
export function withIsoTimestamps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withIsoTimestamps);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) out[name] = (TIMESTAMP_MEMBERS.has(name) || IAM_TIMESTAMP_MEMBERS.has(name)) && typeof member === 'number' ? isoTimestamp(member) : withIsoTimestamps(member);
  return out;
}

/** The members of a status that are times in seconds since the epoch. */
const STATUS_TIMES = new Set(['LockedAt', 'UnlockNotBefore', 'AutoLockAt']);

/** A vault's status as the CLI prints it: its creation, lock and idle-lock times in ISO 8601 like every other timestamp. */
export function statusWithIsoTimestamps(status: VaultStatus): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(status).map(([name, value]) => {
      if (name === 'CreationDate' && typeof value === 'string') return [name, isoTimestamp(Date.parse(value) / 1000)];
      return [name, STATUS_TIMES.has(name) && typeof value === 'number' ? isoTimestamp(value) : value];
    }),
  );
}
