import { ServiceError } from './api';

/** A date from epoch seconds (as AWS returns them), in the person's locale. */
export function formatDate(seconds: number | undefined): string {
  return seconds === undefined ? '—' : new Date(seconds * 1000).toLocaleString();
}

/** An error as the interface shows it: its AWS name and its message. */
export function describeError(error: unknown): { type: string; message: string } {
  if (error instanceof ServiceError) return { type: error.type, message: error.message };
  return { type: 'Error', message: error instanceof Error ? error.message : String(error) };
}

/** Text → base64 (UTF-8), and back. */
export function textToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function base64ToText(base64: string): string {
  const binary = atob(base64);
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}
