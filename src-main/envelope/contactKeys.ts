import { createPublicKey, X509Certificate, type JsonWebKey, type KeyObject } from 'node:crypto';
import { KmsError } from '../../src-shared/errors';
import { isAgeRecipient } from './ageFiles';
import { fingerprint } from './fingerprint';

/** A contact's key as the vault keeps it. */
export interface ContactKey {
  readonly kind: 'rsa' | 'ec' | 'age';
  /** PEM (SubjectPublicKeyInfo) for rsa and ec; the recipient for age. */
  readonly publicKey: string;
  readonly fingerprint: string;
}

const EC_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

const invalid = (why: string): KmsError => new KmsError('ValidationException', `The public key is not one a contact can have: ${why}.`);

/** The key object of a public key in any of the forms people pass: PEM or base64 DER of a SubjectPublicKeyInfo or X.509 certificate, or a JWK. */
function keyObjectOf(text: string): KeyObject {
  if (/PRIVATE KEY|"d"\s*:/.test(text)) throw invalid('this is a private key; give its public key (or certificate), which is all a contact needs');
  try {
    if (text.startsWith('{')) return createPublicKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' });
    if (text.includes('-----BEGIN CERTIFICATE')) return new X509Certificate(text).publicKey;
    if (text.includes('-----BEGIN')) return createPublicKey(text);
    const der = Buffer.from(text, 'base64');
    try {
      return new X509Certificate(der).publicKey;
    } catch {
      return createPublicKey({ key: der, format: 'der', type: 'spki' });
    }
  } catch {
    throw invalid('it is not PEM, base64 DER (a public key or certificate), a JWK or an age recipient');
  }
}

/**
 * A contact's key from what a person pasted or a file held: an age
 * recipient (`age1…`, `age1pq1…`), or an RSA (2048 bits or more) or EC
 * (P-256, P-384, P-521) public key, with its fingerprint (SHA-256 of the
 * SubjectPublicKeyInfo, or of the recipient). A private key is refused:
 * the vault keeps no one else's secrets.
 */
export function parseContactKey(given: string): ContactKey {
  const text = given.trim();
  if (isAgeRecipient(text)) return { kind: 'age', publicKey: text, fingerprint: fingerprint(Buffer.from(text, 'utf8')) };
  const key = keyObjectOf(text);
  const details = key.asymmetricKeyDetails ?? {};
  const spki = key.export({ type: 'spki', format: 'der' });
  const pem = key.export({ type: 'spki', format: 'pem' }).toString();
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) throw invalid(`an RSA key of ${String(details.modulusLength)} bits is too short (2048 at least)`);
    return { kind: 'rsa', publicKey: pem, fingerprint: fingerprint(spki) };
  }
  if (key.asymmetricKeyType === 'ec' && EC_CURVES.has(details.namedCurve ?? '')) return { kind: 'ec', publicKey: pem, fingerprint: fingerprint(spki) };
  if (key.asymmetricKeyType === 'x25519') throw invalid('an X25519 key is given as its age recipient (age1…)');
  throw invalid(`a ${String(key.asymmetricKeyType)} key${details.namedCurve === undefined ? '' : ` on ${details.namedCurve}`} is not RSA, EC on a NIST curve, or age`);
}
