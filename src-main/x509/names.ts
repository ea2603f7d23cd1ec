import { AttributeTypeAndValue, AttributeValue, GeneralName, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { isIP } from 'node:net';
import { CertificateInputError } from './errors';

/** The attribute types a subject may name (RFC 4514 and PKCS #9's emailAddress), by the short names OpenSSL and XCA use. */
const ATTRIBUTES: Readonly<Record<string, string>> = {
  CN: '2.5.4.3', O: '2.5.4.10', OU: '2.5.4.11', C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', SERIALNUMBER: '2.5.4.5',
  DC: '0.9.2342.19200300.100.1.25', EMAILADDRESS: '1.2.840.113549.1.9.1', UID: '0.9.2342.19200300.100.1.1',
};
/** Types whose values are PrintableString (RFC 5280): countries and serial numbers. */
const PRINTABLE = new Set(['2.5.4.6', '2.5.4.5']);
/** Types whose values are IA5String: e-mail addresses and domain components. */
const IA5 = new Set(['1.2.840.113549.1.9.1', '0.9.2342.19200300.100.1.25']);

/** The parts of `text` split at commas that are not escaped with a backslash, unescaped. */
function splitUnescaped(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    if (c === '\\' && i + 1 < text.length) {
      current += text[i + 1] ?? '';
      i += 1;
    } else if (c === ',') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/**
 * The X.500 name a subject such as `CN=Root CA,O=Example,C=SE` gives, read
 * as RFC 4514 writes names: the last RDN first, so that the name's DER starts
 * with C (`\,` escapes a comma). CertificateInputError for an attribute it does not
 * know, a country that is not two letters, or an empty value.
 */
export function parseSubject(text: string): Name {
  const rdns = splitUnescaped(text).map((part) => {
    const eq = part.indexOf('=');
    const type = ATTRIBUTES[part.slice(0, eq).trim().toUpperCase()];
    const value = part.slice(eq + 1).trim();
    if (eq <= 0 || type === undefined) throw new CertificateInputError(`--subject: "${part.trim()}" is not TYPE=value with a TYPE of ${Object.keys(ATTRIBUTES).join(', ')}`);
    if (value === '') throw new CertificateInputError(`--subject: ${part.slice(0, eq).trim()} has no value`);
    if (type === '2.5.4.6' && !/^[A-Z]{2}$/.test(value)) throw new CertificateInputError(`--subject: C is a two-letter country code (ISO 3166), not "${value}"`);
    const attribute = new AttributeValue(PRINTABLE.has(type) ? { printableString: value } : IA5.has(type) ? { ia5String: value } : { utf8String: value });
    return new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: attribute })]);
  });
  return new Name(rdns.reverse());
}

/** The subject alternative names `DNS:a.example,IP:10.0.0.1,email:x@example` gives. CertificateInputError for another kind or a bad address. */
export function parseSubjectAltNames(text: string): GeneralName[] {
  return text.split(',').map((entry) => {
    const colon = entry.indexOf(':');
    const kind = entry.slice(0, colon).trim().toUpperCase();
    const value = entry.slice(colon + 1).trim();
    if (colon <= 0 || value === '') throw new CertificateInputError(`--san: "${entry}" is not DNS:name, IP:address, email:address or URI:uri`);
    if (kind === 'DNS') return new GeneralName({ dNSName: value });
    if (kind === 'EMAIL') return new GeneralName({ rfc822Name: value });
    if (kind === 'URI') return new GeneralName({ uniformResourceIdentifier: value });
    if (kind === 'IP') {
      if (isIP(value) === 0) throw new CertificateInputError(`--san: "${value}" is not an IP address`);
      return new GeneralName({ iPAddress: value });
    }
    throw new CertificateInputError(`--san: "${kind}" is not DNS, IP, email or URI`);
  });
}
