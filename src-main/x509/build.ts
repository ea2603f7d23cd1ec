import { createHash, createPublicKey, randomBytes, verify as verifySignature, constants } from 'node:crypto';
import { CertificationRequest, CertificationRequestInfo, Attributes } from '@peculiar/asn1-csr';
import { id_RSASSA_PSS, id_sha256WithRSAEncryption, id_sha384WithRSAEncryption, id_sha512WithRSAEncryption, mgf1SHA1, RsaSaPssParams, sha256, sha384, sha512 } from '@peculiar/asn1-rsa';
import { id_ecdsaWithSHA256, id_ecdsaWithSHA384, id_ecdsaWithSHA512 } from '@peculiar/asn1-ecc';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier, Attribute, AuthorityKeyIdentifier, BasicConstraints, Certificate, Extension, Extensions, GeneralName, KeyIdentifier, KeyUsage, KeyUsageFlags, Name,
  SubjectAlternativeName, SubjectKeyIdentifier, SubjectPublicKeyInfo, TBSCertificate, Validity, Version, id_ce_authorityKeyIdentifier, id_ce_basicConstraints, id_ce_keyUsage,
  id_ce_subjectAltName, id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { sm2Verify } from '../crypto/asymmetric/sm2';
import { CertificateInputError } from './errors';

/** DER to be signed by the KMS key (Sign, MessageType RAW, with `algorithm`), and what makes the signed structure of the signature. */
export interface ToSign {
  readonly tbs: Buffer;
  readonly algorithm: string;
  readonly finish: (signature: Buffer) => Buffer;
}

const NULL_PARAMETERS = new Uint8Array([0x05, 0x00]).buffer;
const ED25519 = '1.3.101.112';
const ML_DSA: Readonly<Record<string, string>> = { ML_DSA_44: '2.16.840.1.101.3.4.3.17', ML_DSA_65: '2.16.840.1.101.3.4.3.18', ML_DSA_87: '2.16.840.1.101.3.4.3.19' };
const ID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
/** SM2 signature with SM3 (GM/T 0006), over Z with the default distinguishing ID. */
const SM2_WITH_SM3 = '1.2.156.10197.1.501';

/** The default KMS signing algorithm of a key spec for certificates, and the ones it may use. */
export function defaultSigningAlgorithm(keySpec: string): string {
  if (keySpec.startsWith('RSA_')) return 'RSASSA_PKCS1_V1_5_SHA_256';
  if (keySpec === 'ECC_NIST_P384') return 'ECDSA_SHA_384';
  if (keySpec === 'ECC_NIST_P521') return 'ECDSA_SHA_512';
  if (keySpec === 'ECC_NIST_P256' || keySpec === 'ECC_SECG_P256K1') return 'ECDSA_SHA_256';
  if (keySpec === 'ECC_NIST_EDWARDS25519') return 'ED25519_SHA_512';
  if (keySpec in ML_DSA) return 'ML_DSA_SHAKE_256';
  if (keySpec === 'SM2') return 'SM2DSA';
  throw new CertificateInputError(`a ${keySpec} key does not sign certificates`);
}

function pss(hash: AlgorithmIdentifier, saltLength: number): AlgorithmIdentifier {
  const mgf = new AlgorithmIdentifier({ algorithm: mgf1SHA1.algorithm, parameters: AsnConvert.serialize(hash) });
  return new AlgorithmIdentifier({ algorithm: id_RSASSA_PSS, parameters: AsnConvert.serialize(new RsaSaPssParams({ hashAlgorithm: hash, maskGenAlgorithm: mgf, saltLength })) });
}

/** The X.509 signature AlgorithmIdentifier of a KMS signing algorithm (for ML-DSA, of the key spec), as RFC 4055, 5758, 8410 and 9881 and GM/T 0006 define them. */
export function signatureIdentifier(algorithm: string, keySpec: string): AlgorithmIdentifier {
  const plain = (oid: string, parameters?: ArrayBuffer): AlgorithmIdentifier => new AlgorithmIdentifier({ algorithm: oid, ...(parameters === undefined ? {} : { parameters }) });
  switch (algorithm) {
    case 'RSASSA_PKCS1_V1_5_SHA_256':
      return plain(id_sha256WithRSAEncryption, NULL_PARAMETERS);
    case 'RSASSA_PKCS1_V1_5_SHA_384':
      return plain(id_sha384WithRSAEncryption, NULL_PARAMETERS);
    case 'RSASSA_PKCS1_V1_5_SHA_512':
      return plain(id_sha512WithRSAEncryption, NULL_PARAMETERS);
    case 'RSASSA_PSS_SHA_256':
      return pss(sha256, 32);
    case 'RSASSA_PSS_SHA_384':
      return pss(sha384, 48);
    case 'RSASSA_PSS_SHA_512':
      return pss(sha512, 64);
    case 'ECDSA_SHA_256':
      return plain(id_ecdsaWithSHA256);
    case 'ECDSA_SHA_384':
      return plain(id_ecdsaWithSHA384);
    case 'ECDSA_SHA_512':
      return plain(id_ecdsaWithSHA512);
    case 'ED25519_SHA_512':
      return plain(ED25519);
    case 'SM2DSA':
      return plain(SM2_WITH_SM3);
    case 'ML_DSA_SHAKE_256': {
      const oid = ML_DSA[keySpec];
      if (oid !== undefined) return plain(oid);
      break;
    }
    default:
      break;
  }
  throw new CertificateInputError(`--signing-algorithm ${algorithm} does not sign certificates with a ${keySpec} key`);
}

/** PEM of DER bytes under `label` (CERTIFICATE, CERTIFICATE REQUEST). */
export function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The DER inside PEM text (or the bytes themselves, when they are DER already). CertificateInputError when there is no `label` block. */
export function derOf(bytes: Buffer, label: string, what: string): Buffer {
  const text = bytes.toString('latin1');
  if (!text.includes('-----BEGIN')) return bytes;
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(text);
  if (match?.[1] === undefined) throw new CertificateInputError(`${what} holds no ${label}`);
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

/** RFC 5280's key identifier (method 1): SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(spki: SubjectPublicKeyInfo): Buffer {
  return createHash('sha1').update(Buffer.from(spki.subjectPublicKey)).digest();
}

function extension(extnID: string, critical: boolean, value: object): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** A PKCS #10 certification request for `subject` and the KMS key's public key, to be signed by the KMS key; with the subject alternative names asked for. */
export function makeCsr(subject: Name, spki: Buffer, subjectAltNames: GeneralName[], algorithm: string, keySpec: string): ToSign {
  const attributes = new Attributes(
    subjectAltNames.length === 0 ? [] : [new Attribute({ type: ID_EXTENSION_REQUEST, values: [AsnConvert.serialize(new Extensions([extension(id_ce_subjectAltName, false, new SubjectAlternativeName(subjectAltNames))]))] })],
  );
  const info = new CertificationRequestInfo({ version: 0, subject, subjectPKInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo), attributes });
  const signatureAlgorithm = signatureIdentifier(algorithm, keySpec);
  return {
    tbs: Buffer.from(AsnConvert.serialize(info)),
    algorithm,
    finish: (signature) => Buffer.from(AsnConvert.serialize(new CertificationRequest({ certificationRequestInfo: info, signatureAlgorithm, signature: new Uint8Array(signature).buffer }))),
  };
}

/** How node:crypto verifies a signature of an AlgorithmIdentifier: its hash (null for Ed25519), and PSS's padding and salt. */
function verifierOf(identifier: AlgorithmIdentifier): { hash: string | null; pss?: number } {
  const byOid: Readonly<Record<string, string | null>> = {
    [id_sha256WithRSAEncryption]: 'sha256', [id_sha384WithRSAEncryption]: 'sha384', [id_sha512WithRSAEncryption]: 'sha512',
    [id_ecdsaWithSHA256]: 'sha256', [id_ecdsaWithSHA384]: 'sha384', [id_ecdsaWithSHA512]: 'sha512', [ED25519]: null,
  };
  if (identifier.algorithm === id_RSASSA_PSS && identifier.parameters) {
    const params = AsnConvert.parse(identifier.parameters, RsaSaPssParams);
    const hashes: Readonly<Record<string, string>> = { [sha256.algorithm]: 'sha256', [sha384.algorithm]: 'sha384', [sha512.algorithm]: 'sha512' };
    const hash = hashes[params.hashAlgorithm.algorithm];
    if (hash !== undefined) return { hash, pss: params.saltLength };
  }
  const hash = byOid[identifier.algorithm];
  if (hash === undefined) throw new CertificateInputError(`the CSR is signed with ${identifier.algorithm}, which this command cannot check`);
  return { hash };
}

/** Whether a CSR's signature of `signed` verifies with its own public key (SM2 with @noble and sm-crypto-v2, which Node lacks a distinguishing ID for; the rest with node:crypto). */
function csrSignatureVerifies(request: CertificationRequest, signed: Buffer): boolean {
  const { subjectPKInfo } = request.certificationRequestInfo;
  const signature = Buffer.from(request.signature);
  if (request.signatureAlgorithm.algorithm === SM2_WITH_SM3) return sm2Verify(new Uint8Array(subjectPKInfo.subjectPublicKey), { message: signed }, signature);
  const key = createPublicKey({ key: Buffer.from(AsnConvert.serialize(subjectPKInfo)), format: 'der', type: 'spki' });
  const { hash, pss } = verifierOf(request.signatureAlgorithm);
  return verifySignature(hash, signed, pss === undefined ? key : { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss }, signature);
}

/** A CSR's subject, public key and requested subject alternative names, after checking its signature with its own public key (CertificateInputError when it does not verify). */
export function readCsr(der: Buffer): { subject: Name; spki: SubjectPublicKeyInfo; subjectAltNames: GeneralName[] } {
  let request: CertificationRequest;
  try {
    request = AsnConvert.parse(der, CertificationRequest);
  } catch {
    throw new CertificateInputError('--csr is not a PKCS #10 certification request (PEM or DER)');
  }
  const info = request.certificationRequestInfo;
  const signed = Buffer.from(request.certificationRequestInfoRaw ?? AsnConvert.serialize(info));
  if (!csrSignatureVerifies(request, signed)) throw new CertificateInputError('--csr: its signature does not verify with its own public key');
  const subjectAltNames: GeneralName[] = [];
  for (const attribute of info.attributes) {
    if (attribute.type !== ID_EXTENSION_REQUEST) continue;
    for (const value of attribute.values) {
      for (const ext of AsnConvert.parse(value, Extensions)) {
        if (ext.extnID === id_ce_subjectAltName) subjectAltNames.push(...AsnConvert.parse(ext.extnValue, SubjectAlternativeName));
      }
    }
  }
  return { subject: info.subject, spki: info.subjectPKInfo, subjectAltNames };
}

/** What a certificate says, besides its signature. */
export interface CertificateFields {
  readonly subject: Name;
  readonly subjectKey: SubjectPublicKeyInfo;
  readonly issuer: Name;
  readonly issuerKey: SubjectPublicKeyInfo;
  readonly days: number;
  readonly ca: boolean;
  readonly subjectAltNames: GeneralName[];
}

/**
 * An X.509 v3 certificate to be signed by the KMS key (the issuer's): a random
 * positive 128-bit serial, valid from now for `days`, with basic
 * constraints and key usage (a CA: keyCertSign and cRLSign; otherwise
 * digitalSignature), subject and authority key identifiers, and the subject
 * alternative names.
 */
export function makeCertificate(fields: CertificateFields, algorithm: string, keySpec: string): ToSign {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01; // positive, and sixteen bytes long
  const notBefore = new Date();
  const extensions = new Extensions([
    extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: fields.ca })),
    extension(id_ce_keyUsage, true, new KeyUsage(fields.ca ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : KeyUsageFlags.digitalSignature)),
    extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(fields.subjectKey))),
    extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(keyIdentifier(fields.issuerKey)) })),
    ...(fields.subjectAltNames.length === 0 ? [] : [extension(id_ce_subjectAltName, false, new SubjectAlternativeName(fields.subjectAltNames))]),
  ]);
  const signatureAlgorithm = signatureIdentifier(algorithm, keySpec);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: new Uint8Array(serial).buffer,
    signature: signatureAlgorithm,
    issuer: fields.issuer,
    validity: new Validity({ notBefore, notAfter: new Date(notBefore.getTime() + fields.days * 86_400_000) }),
    subject: fields.subject,
    subjectPublicKeyInfo: fields.subjectKey,
    extensions,
  });
  return {
    tbs: Buffer.from(AsnConvert.serialize(tbs)),
    algorithm,
    finish: (signature) => Buffer.from(AsnConvert.serialize(new Certificate({ tbsCertificate: tbs, signatureAlgorithm, signatureValue: new Uint8Array(signature).buffer }))),
  };
}

/** An issuer certificate's subject and public key. CertificateInputError when it is not a certificate. */
export function readCertificate(der: Buffer): { subject: Name; spki: SubjectPublicKeyInfo } {
  try {
    const certificate = AsnConvert.parse(der, Certificate);
    return { subject: certificate.tbsCertificate.subject, spki: certificate.tbsCertificate.subjectPublicKeyInfo };
  } catch {
    throw new CertificateInputError('--issuer-cert is not an X.509 certificate (PEM or DER)');
  }
}
