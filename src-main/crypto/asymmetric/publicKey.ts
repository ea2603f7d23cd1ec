import type { KeyObject } from 'node:crypto';
import type { Curve } from './ec';
import type { MlDsaLevel } from './mlDsa';

/** A public key in the form its algorithms verify and encrypt with: an RSA key object, an EC point, an Ed25519 or ML-DSA public key (uncompressed points; raw key bytes). */
export type PublicKey =
  | { readonly kind: 'rsa'; readonly bits: number; readonly key: KeyObject }
  | { readonly kind: 'ec'; readonly curve: Curve; readonly point: Uint8Array }
  | { readonly kind: 'ed25519'; readonly point: Uint8Array }
  | { readonly kind: 'mldsa'; readonly level: MlDsaLevel; readonly raw: Uint8Array };

/** A key version's public key: as DER SubjectPublicKeyInfo and parsed, with the id of the material it belongs to. */
export interface CachedPublicKey {
  readonly der: Buffer;
  readonly key: PublicKey;
  readonly materialId: string;
}
