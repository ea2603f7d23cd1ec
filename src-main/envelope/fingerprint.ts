import { createHash } from 'node:crypto';

/** A short fingerprint of a public key (SHA-256 of its SubjectPublicKeyInfo), to compare out of band. */
export function fingerprint(spki: Buffer): string {
  return `SHA256:${createHash('sha256').update(spki).digest('base64').replace(/=+$/, '')}`;
}
