import { ServiceError } from './api';

/** An error as the interface shows it: its AWS name, its message, and what the person can do about it. */
export interface ShownError {
  type: string;
  message: string;
  hint?: string;
}

const HINTS: Record<string, string> = {
  IncorrectPinException: 'The token refused this PIN. After three wrong tries in a row each try waits longer, and after the last one the vault locks out: check it before trying again.',
  UnlockDelayedException: 'Wait until the time shown above, then try again.',
  VaultLockedOutException: 'Only the security-officer PIN lets you in again: run `strongroom reset-pin` to set a new PIN.',
  TokenRemovedException: 'Insert the token again, then unlock.',
  VaultLockedException: 'The vault is locked. Unlock it to continue.',
  VaultInUseException: 'Another Strongroom process holds this vault. Close it (or run `strongroom lock`) and try again.',
  IncorrectKeyException: 'The ciphertext was encrypted under another key. Empty the key field to decrypt with whichever key encrypted it.',
  DisabledException: 'The key is disabled. Enable it on the Keys screen to use it.',
  KMSInvalidStateException: 'The key is not in a state that allows this (for example, pending deletion).',
};

/** True when `value` is a whole number from `min` to `max` (a number field the person typed in). */
export function inRange(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** A date from epoch seconds (as AWS returns them), in the person's locale. */
export function formatDate(seconds: number | undefined): string {
  return seconds === undefined ? '—' : new Date(seconds * 1000).toLocaleString();
}

/** An idle time in words: "15 min", "1 h", "45 s". */
export function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${String(seconds / 3600)} h`;
  if (seconds % 60 === 0) return `${String(seconds / 60)} min`;
  return `${String(seconds)} s`;
}

export function describeError(error: unknown): ShownError {
  const [type, message] = error instanceof ServiceError ? [error.type, error.message] : ['Error', error instanceof Error ? error.message : String(error)];
  const hint = HINTS[type];
  return hint === undefined ? { type, message } : { type, message, hint };
}

/** Text → base64 (UTF-8). */
export function textToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Base64 → text; undefined when the bytes are not UTF-8 text. */
export function base64ToText(base64: string): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
