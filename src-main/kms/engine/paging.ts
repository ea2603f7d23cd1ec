import { KmsError } from '../../../src-shared/errors';

/**
 * Opaque paging markers: base64url of JSON. A marker is only ever one this
 * vault handed out; anything else is InvalidMarkerException.
 */
export function encodeMarker(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Reads a marker back, checking its shape with `isPosition`. */
export function decodeMarker<T>(marker: string, isPosition: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isPosition(value)) throw new KmsError('InvalidMarkerException', 'The marker is not one this vault returned. Start again without Marker.');
  return value;
}
