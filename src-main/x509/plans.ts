import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { defaultSigningAlgorithm, derOf, makeCertificate, makeCsr, readCertificate, readCsr, type ToSign } from './build';
import { CertificateInputError } from './errors';
import { parseSubject, parseSubjectAltNames } from './names';

/**
 * Certificate requests and certificates for a KMS key, as the CLI's
 * `strongroom x509` and the interface make them: what to sign, from the key's
 * GetPublicKey answer and what was asked. The caller signs `tbs` with KMS
 * Sign (authorized and audited like any other) and calls `finish`.
 */

/** The KMS key that signs: its GetPublicKey answer. */
export interface SigningKey {
  readonly KeyId?: string | undefined;
  readonly PublicKey?: string | undefined;
  readonly KeySpec?: string | undefined;
  readonly KeyUsage?: string | undefined;
}

/** What every request names: the key's id as given, and the signing algorithm when not the spec's default. */
interface Common {
  readonly keyId: string;
  readonly signingAlgorithm?: string | undefined;
}

/** The longest validity asked for: a hundred years. */
const MAX_DAYS = 36_525;

function checked(key: SigningKey, asked: Common): { spki: Buffer; keySpec: string; algorithm: string } {
  const keySpec = String(key.KeySpec);
  if (key.KeyUsage !== 'SIGN_VERIFY') throw new CertificateInputError(`${asked.keyId} is a ${keySpec} key for ${String(key.KeyUsage)}: certificates are signed by a SIGN_VERIFY key`);
  return { spki: Buffer.from(key.PublicKey ?? '', 'base64'), keySpec, algorithm: asked.signingAlgorithm ?? defaultSigningAlgorithm(keySpec) };
}

function checkDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) throw new CertificateInputError(`--days is a number of days from 1 to ${String(MAX_DAYS)}`);
  return days;
}

const sansOf = (san: string | undefined) => (san === undefined || san.trim() === '' ? [] : parseSubjectAltNames(san));

/** A PKCS #10 request for the key: `subject` ("CN=…,O=…"), and subject alternative names ("DNS:…,IP:…"). */
export function csrPlan(key: SigningKey, asked: Common & { readonly subject: string; readonly san?: string | undefined }): ToSign {
  const { spki, keySpec, algorithm } = checked(key, asked);
  return makeCsr(parseSubject(asked.subject), spki, sansOf(asked.san), algorithm, keySpec);
}

/** A self-signed certificate for the key (a root CA with `ca`), valid `days` from now. */
export function selfSignedPlan(key: SigningKey, asked: Common & { readonly subject: string; readonly san?: string | undefined; readonly days: number; readonly ca: boolean }): ToSign {
  const days = checkDays(asked.days);
  const subject = parseSubject(asked.subject);
  const { spki, keySpec, algorithm } = checked(key, asked);
  const info = AsnConvert.parse(spki, SubjectPublicKeyInfo);
  return makeCertificate({ subject, subjectKey: info, issuer: subject, issuerKey: info, days, ca: asked.ca, subjectAltNames: sansOf(asked.san) }, algorithm, keySpec);
}

/** A certificate for a request (PEM or DER, its signature checked), issued by the key whose certificate `issuerCert` is (PEM or DER). */
export function issuedPlan(key: SigningKey, asked: Common & { readonly issuerCert: Buffer; readonly csr: Buffer; readonly days: number; readonly ca: boolean }): ToSign {
  const issuer = readCertificate(derOf(asked.issuerCert, 'CERTIFICATE', '--issuer-cert'));
  const request = readCsr(derOf(asked.csr, 'CERTIFICATE REQUEST', '--csr'));
  const days = checkDays(asked.days);
  const { spki, keySpec, algorithm } = checked(key, asked);
  if (!spki.equals(Buffer.from(AsnConvert.serialize(issuer.spki)))) throw new CertificateInputError(`--issuer-cert is not the certificate of ${asked.keyId}: its public key differs`);
  return makeCertificate({ subject: request.subject, subjectKey: request.spki, issuer: issuer.subject, issuerKey: issuer.spki, days, ca: asked.ca, subjectAltNames: request.subjectAltNames }, algorithm, keySpec);
}
