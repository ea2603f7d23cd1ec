import { KmsError } from '../../src-shared/errors';

/**
 * The parts of an RFC 7512 PKCS#11 URI that select a module and a token,
 * e.g. `pkcs11:token=Strongroom;serial=1234?module-path=/usr/lib/softhsm/libsofthsm2.so`.
 */
export interface Pkcs11Uri {
  token?: string;
  manufacturer?: string;
  serial?: string;
  model?: string;
  slotId?: number;
  modulePath?: string;
  moduleName?: string;
}

const PATH_ATTRS = { token: 'token', manufacturer: 'manufacturer', serial: 'serial', model: 'model', 'slot-id': 'slotId' } as const;
const QUERY_ATTRS = { 'module-path': 'modulePath', 'module-name': 'moduleName' } as const;
/** Attributes that hold a secret: refused, so that a PIN never sits in shell history or config. */
const SECRET_ATTRS = new Set(['pin-value', 'pin-source']);

function invalid(reason: string): KmsError {
  return new KmsError('ValidationException', `Invalid PKCS#11 URI: ${reason}.`);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(`bad percent-encoding in "${text}"`);
  }
}

function parseAttributes(text: string, separator: string, names: Record<string, string>, into: Record<string, string>): void {
  if (text === '') return;
  for (const pair of text.split(separator)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw invalid(`"${pair}" is not name=value`);
    const name = pair.slice(0, eq).toLowerCase();
    if (SECRET_ATTRS.has(name)) throw invalid(`${name} is not accepted; give the PIN through STRONGROOM_PIN or the prompt`);
    const key = names[name];
    if (key === undefined) continue; // RFC 7512 says to ignore attributes one does not know.
    if (key in into) throw invalid(`${name} appears twice`);
    into[key] = decode(pair.slice(eq + 1));
  }
}

/** True when `value` looks like a PKCS#11 URI rather than a file path. */
export function isPkcs11Uri(value: string): boolean {
  return value.toLowerCase().startsWith('pkcs11:');
}

/** Parses a PKCS#11 URI (RFC 7512); throws ValidationException with the reason when it is malformed. */
export function parsePkcs11Uri(value: string): Pkcs11Uri {
  if (!isPkcs11Uri(value)) throw invalid('it must start with "pkcs11:"');
  const body = value.slice('pkcs11:'.length);
  const q = body.indexOf('?');
  const fields: Record<string, string> = {};
  parseAttributes(q < 0 ? body : body.slice(0, q), ';', PATH_ATTRS, fields);
  parseAttributes(q < 0 ? '' : body.slice(q + 1), '&', QUERY_ATTRS, fields);
  const { slotId, ...rest } = fields;
  const uri: Pkcs11Uri = { ...rest };
  if (slotId !== undefined) {
    if (!/^[0-9]+$/.test(slotId)) throw invalid('slot-id must be a decimal number');
    uri.slotId = Number(slotId);
  }
  return uri;
}

function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Formats a PKCS#11 URI that {@link parsePkcs11Uri} reads back to the same value. */
export function formatPkcs11Uri(uri: Pkcs11Uri): string {
  const path: string[] = [];
  for (const [name, key] of Object.entries(PATH_ATTRS)) {
    const value = uri[key];
    if (value !== undefined) path.push(`${name}=${encode(String(value))}`);
  }
  const query: string[] = [];
  for (const [name, key] of Object.entries(QUERY_ATTRS)) {
    const value = uri[key];
    if (value !== undefined) query.push(`${name}=${encode(value)}`);
  }
  return `pkcs11:${path.join(';')}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}
