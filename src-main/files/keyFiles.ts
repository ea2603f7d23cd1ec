import { readFileSync } from 'node:fs';

/** The text of a public key file (PEM, a JWK, an age recipient), or its bytes in base64 (DER); undefined when there is no such file. */
export function keyFileText(path: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  const text = bytes.toString('utf8');
  return bytes.includes('-----BEGIN') || /^\s*(\{|age1)/.test(text) ? text : bytes.toString('base64');
}
