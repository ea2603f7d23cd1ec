import { assertNever } from '../../src-shared/brand';
import { KmsError } from '../../src-shared/errors';
import type { z } from 'zod';
import { KeySpec, type EncryptionAlgorithmSpec, type KeyUsageType, type MacAlgorithmSpec, type SigningAlgorithmSpec } from '../../src-shared/kms/shapes.generated';

/** The key specs and usages of the AWS model, as stored in a key row. */
export type Spec = z.infer<ReturnType<typeof KeySpec>>;
export type Usage = z.infer<ReturnType<typeof KeyUsageType>>;

/**
 * What Strongroom knows of one key spec: how big its material is, what it
 * may be used for and with which algorithms, whether that material rotates,
 * and (by its algorithms) which engine uses it: SYMMETRIC_DEFAULT is
 * AES-256-GCM in kms/engine/symmetric. The material of every spec is generated from
 * the token-seeded random pool and stored wrapped by the vault's root key
 * (crypto/backingKeys).
 */
export interface KeySpecRow {
  readonly spec: Spec;
  /** Bytes of backing key material per version. */
  readonly materialBytes: number;
  /** The usages a key of this spec may be created with; the first is the default. */
  readonly usages: readonly [Usage, ...Usage[]];
  readonly encryptionAlgorithms: readonly z.infer<ReturnType<typeof EncryptionAlgorithmSpec>>[];
  readonly signingAlgorithms: readonly z.infer<ReturnType<typeof SigningAlgorithmSpec>>[];
  readonly macAlgorithms: readonly z.infer<ReturnType<typeof MacAlgorithmSpec>>[];
  /** Whether its AWS_KMS material rotates (automatically and on demand). */
  readonly rotates: boolean;
}

const SYMMETRIC_DEFAULT: KeySpecRow = {
  spec: 'SYMMETRIC_DEFAULT',
  materialBytes: 32,
  usages: ['ENCRYPT_DECRYPT'],
  encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
  signingAlgorithms: [],
  macAlgorithms: [],
  rotates: true,
};

/** The row of `spec`, or undefined for a spec this version does not create or use. */
export function keySpecRow(spec: Spec): KeySpecRow | undefined {
  switch (spec) {
    case 'SYMMETRIC_DEFAULT':
      return SYMMETRIC_DEFAULT;
    case 'RSA_2048':
    case 'RSA_3072':
    case 'RSA_4096':
    case 'ECC_NIST_P256':
    case 'ECC_NIST_P384':
    case 'ECC_NIST_P521':
    case 'ECC_SECG_P256K1':
    case 'ECC_NIST_EDWARDS25519':
    case 'HMAC_224':
    case 'HMAC_256':
    case 'HMAC_384':
    case 'HMAC_512':
    case 'SM2':
    case 'ML_DSA_44':
    case 'ML_DSA_65':
    case 'ML_DSA_87':
      return undefined;
    default:
      return assertNever(spec, 'key spec');
  }
}

/** The row of a spec this version supports; UnsupportedOperationException naming the ones it does otherwise. */
export function supportedKeySpec(spec: Spec): KeySpecRow {
  const row = keySpecRow(spec);
  if (row === undefined) {
    const supported = KeySpec().options.filter((s) => keySpecRow(s) !== undefined);
    throw new KmsError('UnsupportedOperationException', `KeySpec ${spec} is not available in this version; ${supported.join(', ')} ${supported.length === 1 ? 'is' : 'are'}.`);
  }
  return row;
}

/** The row of a stored key's spec (a vault never holds a spec this version cannot use). */
export function specOf(key: { readonly keySpec: Spec }): KeySpecRow {
  const row = keySpecRow(key.keySpec);
  if (row === undefined) throw new KmsError('KMSInternalException', `This vault holds a ${key.keySpec} key, which this version of Strongroom cannot use.`);
  return row;
}
