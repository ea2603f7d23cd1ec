import { assertNever } from '../../src-shared/brand';
import { KmsError } from '../../src-shared/errors';
import type { z } from 'zod';
import { KeySpec, type EncryptionAlgorithmSpec, type KeyAgreementAlgorithmSpec, type KeyUsageType, type MacAlgorithmSpec, type SigningAlgorithmSpec } from '../../src-shared/kms/shapes.generated';
import type { Curve } from '../crypto/asymmetric/ec';
import type { MlDsaLevel } from '../crypto/asymmetric/mlDsa';
import { usagesOf } from '../../src-shared/kms/keySpecCatalog';

/** The key specs and usages of the AWS model, as stored in a key row. */
export type Spec = z.infer<ReturnType<typeof KeySpec>>;
export type Usage = z.infer<ReturnType<typeof KeyUsageType>>;
export type EncryptionAlgorithm = z.infer<ReturnType<typeof EncryptionAlgorithmSpec>>;
export type SigningAlgorithm = z.infer<ReturnType<typeof SigningAlgorithmSpec>>;
export type MacAlgorithm = z.infer<ReturnType<typeof MacAlgorithmSpec>>;
export type KeyAgreementAlgorithm = z.infer<ReturnType<typeof KeyAgreementAlgorithmSpec>>;

/**
 * What a key's material is, per version: a 256-bit AES key, an HMAC key of
 * `bytes`, or a private key (stored as PKCS#8 DER). Every kind is stored
 * wrapped by the vault's root key (crypto/backingKeys).
 */
export type Material =
  | { readonly kind: 'aes' }
  | { readonly kind: 'hmac'; readonly bytes: number }
  | { readonly kind: 'rsa'; readonly bits: 2048 | 3072 | 4096 }
  | { readonly kind: 'ec'; readonly curve: Curve }
  | { readonly kind: 'ed25519' }
  | { readonly kind: 'mldsa'; readonly level: MlDsaLevel };

/**
 * What Strongroom knows of one key spec, as AWS KMS defines it: its
 * material, the usages a key of it may have, the algorithms of each usage,
 * and whether that material rotates (only symmetric encryption keys do).
 */
export interface KeySpecRow {
  readonly spec: Spec;
  readonly material: Material;
  /** The usages a key of this spec may be created with (src-shared/kms/keySpecCatalog, which the interface offers too). */
  readonly usages: readonly Usage[];
  readonly encryptionAlgorithms: readonly EncryptionAlgorithm[];
  readonly signingAlgorithms: readonly SigningAlgorithm[];
  readonly macAlgorithms: readonly MacAlgorithm[];
  readonly keyAgreementAlgorithms: readonly KeyAgreementAlgorithm[];
  /** Whether its AWS_KMS material rotates (automatically and on demand). */
  readonly rotates: boolean;
}

function row(spec: Spec, material: Material, algorithms: Partial<Pick<KeySpecRow, 'encryptionAlgorithms' | 'signingAlgorithms' | 'macAlgorithms' | 'keyAgreementAlgorithms'>>): KeySpecRow {
  return { spec, material, usages: usagesOf(spec), encryptionAlgorithms: [], signingAlgorithms: [], macAlgorithms: [], keyAgreementAlgorithms: [], rotates: spec === 'SYMMETRIC_DEFAULT', ...algorithms };
}

const RSA_ENCRYPTION: readonly EncryptionAlgorithm[] = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
const RSA_SIGNING: readonly SigningAlgorithm[] = ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'];
const rsa = (spec: Spec, bits: 2048 | 3072 | 4096): KeySpecRow =>
  row(spec, { kind: 'rsa', bits }, { encryptionAlgorithms: RSA_ENCRYPTION, signingAlgorithms: RSA_SIGNING });
const nist = (spec: Spec, curve: Curve, signing: SigningAlgorithm): KeySpecRow =>
  row(spec, { kind: 'ec', curve }, { signingAlgorithms: [signing], keyAgreementAlgorithms: ['ECDH'] });
const mlDsa = (spec: Spec, level: MlDsaLevel): KeySpecRow => row(spec, { kind: 'mldsa', level }, { signingAlgorithms: ['ML_DSA_SHAKE_256'] });
const hmac = (spec: Spec, bytes: number, algorithm: MacAlgorithm): KeySpecRow => row(spec, { kind: 'hmac', bytes }, { macAlgorithms: [algorithm] });

const ROWS: ReadonlyMap<Spec, KeySpecRow> = new Map(
  [
    row('SYMMETRIC_DEFAULT', { kind: 'aes' }, { encryptionAlgorithms: ['SYMMETRIC_DEFAULT'] }),
    rsa('RSA_2048', 2048),
    rsa('RSA_3072', 3072),
    rsa('RSA_4096', 4096),
    nist('ECC_NIST_P256', 'P-256', 'ECDSA_SHA_256'),
    nist('ECC_NIST_P384', 'P-384', 'ECDSA_SHA_384'),
    nist('ECC_NIST_P521', 'P-521', 'ECDSA_SHA_512'),
    row('ECC_SECG_P256K1', { kind: 'ec', curve: 'secp256k1' }, { signingAlgorithms: ['ECDSA_SHA_256'] }),
    row('ECC_NIST_EDWARDS25519', { kind: 'ed25519' }, { signingAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] }),
    hmac('HMAC_224', 28, 'HMAC_SHA_224'),
    hmac('HMAC_256', 32, 'HMAC_SHA_256'),
    hmac('HMAC_384', 48, 'HMAC_SHA_384'),
    hmac('HMAC_512', 64, 'HMAC_SHA_512'),
    mlDsa('ML_DSA_44', 44),
    mlDsa('ML_DSA_65', 65),
    mlDsa('ML_DSA_87', 87),
    row('SM2', { kind: 'ec', curve: 'SM2' }, { encryptionAlgorithms: ['SM2PKE'], signingAlgorithms: ['SM2DSA'], keyAgreementAlgorithms: ['ECDH'] }),
  ].map((r) => [r.spec, r]),
);

/** The row of `spec`, or undefined for a spec this version does not create or use. */
export function keySpecRow(spec: Spec): KeySpecRow | undefined {
  return ROWS.get(spec);
}

/** The row of a spec this version supports; UnsupportedOperationException naming the ones it does otherwise. */
export function supportedKeySpec(spec: Spec): KeySpecRow {
  const found = keySpecRow(spec);
  if (found === undefined) {
    const supported = KeySpec().options.filter((s) => keySpecRow(s) !== undefined);
    throw new KmsError('UnsupportedOperationException', `KeySpec ${spec} is not available in this version; ${supported.join(', ')} are.`);
  }
  return found;
}

/** The row of a stored key's spec (a vault never holds a spec this version cannot use). */
export function specOf(key: { readonly keySpec: Spec }): KeySpecRow {
  const found = keySpecRow(key.keySpec);
  if (found === undefined) throw new KmsError('KMSInternalException', `This vault holds a ${key.keySpec} key, which this version of Strongroom cannot use.`);
  return found;
}

/** The algorithms a key of `spec` offers for `usage` (what KeyMetadata and GetPublicKey list). */
export function algorithmsFor(spec: KeySpecRow, usage: Usage): readonly string[] {
  switch (usage) {
    case 'ENCRYPT_DECRYPT':
      return spec.encryptionAlgorithms;
    case 'SIGN_VERIFY':
      return spec.signingAlgorithms;
    case 'GENERATE_VERIFY_MAC':
      return spec.macAlgorithms;
    case 'KEY_AGREEMENT':
      return spec.keyAgreementAlgorithms;
    default:
      return assertNever(usage, 'key usage');
  }
}

/** Whether keys of `spec` have a public key (GetPublicKey). */
export function isAsymmetric(spec: KeySpecRow): boolean {
  const { kind } = spec.material;
  return kind === 'rsa' || kind === 'ec' || kind === 'ed25519' || kind === 'mldsa';
}
