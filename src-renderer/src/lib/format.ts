/** True when `value` is a whole number from `min` to `max` (a number field the person typed in). */
export function inRange(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** A date from epoch seconds (as AWS returns them), in the person's locale. */
export function formatDate(seconds: number | undefined): string {
  return seconds === undefined ? '—' : new Date(seconds * 1000).toLocaleString();
}

/** A day from epoch seconds, in the person's locale, without the time. */
export function formatDay(seconds: number | undefined): string {
  return seconds === undefined ? '—' : new Date(seconds * 1000).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** An idle time in words: "15 min", "1 h", "45 s". */
export function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${String(seconds / 3600)} h`;
  if (seconds % 60 === 0) return `${String(seconds / 60)} min`;
  return `${String(seconds)} s`;
}

/** Bytes → base64. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Base64 → bytes. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** Text → base64 (UTF-8). */
export function textToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

/** Base64 → text; undefined when the bytes are not UTF-8 text. */
export function base64ToText(base64: string): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(base64ToBytes(base64));
  } catch {
    return undefined;
  }
}

/** `key=value` lines as pairs, trimmed; blank lines are skipped, and a line without `=` has an empty value. */
export function keyValueLines(lines: string): [string, string][] {
  return lines
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [key = '', ...value] = line.split('=');
      return [key.trim(), value.join('=').trim()];
    });
}

/** A size for people: bytes, KiB, MiB or GiB, one decimal past bytes. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${String(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

/** Now, as an ISO 8601 time in UTC (a transcript's steps are timed so). */
export function isoNow(): string {
  return new Date().toISOString();
}
