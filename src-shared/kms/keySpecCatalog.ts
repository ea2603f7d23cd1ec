/**
 * The key specs a key can be created with, the usages each may have (the
 * first is the one to offer first), and a line saying what each is for:
 * one table for the core (src-main/kms/keySpecs.ts) and the interface's
 * create-key form, as AWS KMS defines them.
 */
export const KEY_SPEC_CATALOG = [
  { spec: 'SYMMETRIC_DEFAULT', usages: ['ENCRYPT_DECRYPT'], label: 'Symmetric (AES-256)', summary: 'Encrypt, decrypt and data keys; the key never leaves the vault.' },
  { spec: 'RSA_2048', usages: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'], label: 'RSA 2048', summary: 'Signatures (PKCS #1, PSS) or RSAES-OAEP encryption; the public key can be shared.' },
  { spec: 'RSA_3072', usages: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'], label: 'RSA 3072', summary: 'Signatures (PKCS #1, PSS) or RSAES-OAEP encryption; the public key can be shared.' },
  { spec: 'RSA_4096', usages: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'], label: 'RSA 4096', summary: 'Signatures (PKCS #1, PSS) or RSAES-OAEP encryption; the public key can be shared.' },
  { spec: 'ECC_NIST_P256', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], label: 'ECC P-256', summary: 'ECDSA signatures, or ECDH key agreement.' },
  { spec: 'ECC_NIST_P384', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], label: 'ECC P-384', summary: 'ECDSA signatures, or ECDH key agreement.' },
  { spec: 'ECC_NIST_P521', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], label: 'ECC P-521', summary: 'ECDSA signatures, or ECDH key agreement.' },
  { spec: 'ECC_SECG_P256K1', usages: ['SIGN_VERIFY'], label: 'ECC secp256k1', summary: 'ECDSA signatures on the curve of Bitcoin and Ethereum.' },
  { spec: 'ECC_NIST_EDWARDS25519', usages: ['SIGN_VERIFY'], label: 'Ed25519', summary: 'Ed25519 and Ed25519ph signatures.' },
  { spec: 'ML_DSA_44', usages: ['SIGN_VERIFY'], label: 'ML-DSA-44', summary: 'Post-quantum signatures (FIPS 204).' },
  { spec: 'ML_DSA_65', usages: ['SIGN_VERIFY'], label: 'ML-DSA-65', summary: 'Post-quantum signatures (FIPS 204).' },
  { spec: 'ML_DSA_87', usages: ['SIGN_VERIFY'], label: 'ML-DSA-87', summary: 'Post-quantum signatures (FIPS 204).' },
  { spec: 'SM2', usages: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'KEY_AGREEMENT'], label: 'SM2', summary: 'SM2DSA signatures, SM2PKE encryption or ECDH key agreement (the Chinese national standard, GB/T 32918).' },
  { spec: 'HMAC_224', usages: ['GENERATE_VERIFY_MAC'], label: 'HMAC-SHA-224', summary: 'Message authentication codes.' },
  { spec: 'HMAC_256', usages: ['GENERATE_VERIFY_MAC'], label: 'HMAC-SHA-256', summary: 'Message authentication codes.' },
  { spec: 'HMAC_384', usages: ['GENERATE_VERIFY_MAC'], label: 'HMAC-SHA-384', summary: 'Message authentication codes.' },
  { spec: 'HMAC_512', usages: ['GENERATE_VERIFY_MAC'], label: 'HMAC-SHA-512', summary: 'Message authentication codes.' },
] as const;

/** A key spec the catalog offers. */
export type CatalogSpec = (typeof KEY_SPEC_CATALOG)[number]['spec'];
/** A key usage, in AWS's names. */
export type CatalogUsage = (typeof KEY_SPEC_CATALOG)[number]['usages'][number];

/** What each usage is called in the interface. */
export const USAGE_LABELS: Readonly<Record<CatalogUsage, string>> = {
  ENCRYPT_DECRYPT: 'Encrypt and decrypt',
  SIGN_VERIFY: 'Sign and verify',
  KEY_AGREEMENT: 'Key agreement (ECDH)',
  GENERATE_VERIFY_MAC: 'Generate and verify MACs',
};

/** The usages a key of `spec` may have; none for a spec the catalog does not offer. */
export function usagesOf(spec: string): readonly CatalogUsage[] {
  return KEY_SPEC_CATALOG.find((entry) => entry.spec === spec)?.usages ?? [];
}
