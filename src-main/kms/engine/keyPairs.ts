import type { KeyObject } from 'node:crypto';
import { assertNever } from '../../../src-shared/brand';
import { KmsError } from '../../../src-shared/errors';
import { ecPoint, ecPublicKey, ecScalar, type Curve } from '../../crypto/asymmetric/ec';
import { ed25519Point, ed25519PublicKey, ed25519Seed } from '../../crypto/asymmetric/ed25519';
import { mlDsaPoint, mlDsaPublicKey, mlDsaSeed, type MlDsaLevel } from '../../crypto/asymmetric/mlDsa';
import type { CachedPublicKey, PublicKey } from '../../crypto/asymmetric/publicKey';
import { rsaPrivateKey, rsaPublicKey, rsaSpki } from '../../crypto/asymmetric/rsa';
import { specOf, type Material } from '../keySpecs';
import type { AuthorizedKey, KmsContext } from '../pipeline/declaration';

/** A private key in the form its algorithms take: an RSA key object, an EC scalar, an Ed25519 or ML-DSA seed (zero-filled after use). */
export type PrivateKey =
  | { readonly kind: 'rsa'; readonly bits: number; readonly key: KeyObject }
  | { readonly kind: 'ec'; readonly curve: Curve; readonly scalar: Uint8Array }
  | { readonly kind: 'ed25519'; readonly seed: Uint8Array }
  | { readonly kind: 'mldsa'; readonly level: MlDsaLevel; readonly seed: Uint8Array };

/** The private key of a PKCS#8 DER key of `material`'s kind; undefined when the bytes are not one. The caller passes it to {@link dropPrivateKey}. */
export function privateKeyOf(material: Material, pkcs8: Buffer): PrivateKey | undefined {
  switch (material.kind) {
    case 'rsa': {
      const key = rsaPrivateKey(pkcs8, material.bits);
      return key === undefined ? undefined : { kind: 'rsa', bits: material.bits, key };
    }
    case 'ec': {
      const scalar = ecScalar(material.curve, pkcs8);
      return scalar === undefined ? undefined : { kind: 'ec', curve: material.curve, scalar };
    }
    case 'ed25519': {
      const seed = ed25519Seed(pkcs8);
      return seed === undefined ? undefined : { kind: 'ed25519', seed };
    }
    case 'mldsa': {
      const seed = mlDsaSeed(material.level, pkcs8);
      return seed === undefined ? undefined : { kind: 'mldsa', level: material.level, seed };
    }
    case 'aes':
    case 'hmac':
      return undefined;
    default:
      return assertNever(material, 'key material');
  }
}

/** Zero-fills the secret bytes of a private key (an RSA key object's are cleared by OpenSSL when it is collected). */
export function dropPrivateKey(key: PrivateKey): void {
  if (key.kind === 'ec') key.scalar.fill(0);
  if (key.kind === 'ed25519' || key.kind === 'mldsa') key.seed.fill(0);
}

/** The DER SubjectPublicKeyInfo of the PKCS#8 private key `pkcs8` of `material`'s kind; undefined when the bytes are not one. */
export function publicKeyOfPkcs8(material: Material, pkcs8: Buffer): Buffer | undefined {
  const privateKey = privateKeyOf(material, pkcs8);
  if (privateKey === undefined) return undefined;
  try {
    return publicKeyDer(privateKey);
  } finally {
    dropPrivateKey(privateKey);
  }
}

/** The DER SubjectPublicKeyInfo of a private key. */
export function publicKeyDer(key: PrivateKey): Buffer {
  switch (key.kind) {
    case 'rsa':
      return rsaSpki(key.key);
    case 'ec':
      return ecPublicKey(key.curve, key.scalar);
    case 'ed25519':
      return ed25519PublicKey(key.seed);
    case 'mldsa':
      return mlDsaPublicKey(key.level, key.seed).spki;
    default:
      return assertNever(key, 'private key');
  }
}

/**
 * Runs `use` with the private key of `key`'s current version, unwrapped for
 * this call and zero-filled after; also names the key material used.
 */
export function withPrivateKey<T>(ctx: KmsContext, key: AuthorizedKey, use: (privateKey: PrivateKey, materialId: string) => T): T {
  const { material } = specOf(key);
  return ctx.vault.store.withMaterial(ctx.unlocked.rootKey.value, key.keyId, key.currentVersion, (pkcs8, materialId) => {
    const privateKey = privateKeyOf(material, pkcs8);
    if (privateKey === undefined) throw new KmsError('KMSInternalException', `The material of ${ctx.vault.store.keyArn(key.keyId)} is not a ${key.keySpec} private key.`);
    try {
      return use(privateKey, materialId);
    } finally {
      dropPrivateKey(privateKey);
    }
  });
}

/** The public key of a DER SubjectPublicKeyInfo of `material`'s kind; undefined when it is not one. */
export function parsedPublicKey(material: Material, spki: Buffer): PublicKey | undefined {
  switch (material.kind) {
    case 'rsa': {
      const key = rsaPublicKey(spki, material.bits);
      return key === undefined ? undefined : { kind: 'rsa', bits: material.bits, key };
    }
    case 'ec': {
      const point = ecPoint(material.curve, spki);
      return point === undefined ? undefined : { kind: 'ec', curve: material.curve, point };
    }
    case 'ed25519': {
      const point = ed25519Point(spki);
      return point === undefined ? undefined : { kind: 'ed25519', point };
    }
    case 'mldsa': {
      const raw = mlDsaPoint(material.level, spki);
      return raw === undefined ? undefined : { kind: 'mldsa', level: material.level, raw };
    }
    case 'aes':
    case 'hmac':
      return undefined;
    default:
      return assertNever(material, 'key material');
  }
}

/**
 * The public key of `key`'s current version (DER and parsed), derived from
 * its private key on first use and then cached by the key store.
 */
export function publicKeyOf(ctx: KmsContext, key: AuthorizedKey): CachedPublicKey {
  const { material } = specOf(key);
  return ctx.vault.store.publicKey(key.keyId, key.currentVersion, () =>
    withPrivateKey(ctx, key, (privateKey, materialId) => {
      const der = publicKeyDer(privateKey);
      const parsed = parsedPublicKey(material, der);
      if (parsed === undefined) throw new KmsError('KMSInternalException', `The public key of ${ctx.vault.store.keyArn(key.keyId)} does not parse.`);
      return { der, key: parsed, materialId };
    }),
  );
}
