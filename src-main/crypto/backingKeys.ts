import { seal, open } from './aesGcm';

function aad(keyId: string, version: number): Buffer {
  return Buffer.from(`strongroom backing key v1\0${keyId}\0${String(version)}`, 'utf8');
}

/** Wraps a backing key under the vault root key, bound to its KMS key id and version: `IV ‖ ciphertext ‖ tag`. */
export function wrapBackingKey(rootKey: Buffer, keyId: string, version: number, material: Buffer): Buffer {
  return seal(rootKey, material, aad(keyId, version));
}

/** Unwraps a backing key; undefined when it was not wrapped for this key id and version under this root key. */
export function unwrapBackingKey(rootKey: Buffer, keyId: string, version: number, wrapped: Buffer): Buffer | undefined {
  return open(rootKey, wrapped, aad(keyId, version));
}

function importAad(tokenId: string): Buffer {
  return Buffer.from(`strongroom import wrapping key v1\0${tokenId}`, 'utf8');
}

/** Wraps the private half of an import's wrapping key pair under the vault root key, bound to its import token. */
export function wrapImportKey(rootKey: Buffer, tokenId: string, privateKey: Buffer): Buffer {
  return seal(rootKey, privateKey, importAad(tokenId));
}

/** Unwraps an import's wrapping private key; undefined when it was not wrapped for this token under this root key. */
export function unwrapImportKey(rootKey: Buffer, tokenId: string, wrapped: Buffer): Buffer | undefined {
  return open(rootKey, wrapped, importAad(tokenId));
}

function pinAad(storeId: string): Buffer {
  return Buffer.from(`strongroom custom key store pin v1\0${storeId}`, 'utf8');
}

/** Wraps a custom key store's token PIN under the vault root key, bound to the store. */
export function wrapStorePin(rootKey: Buffer, storeId: string, pin: Buffer): Buffer {
  return seal(rootKey, pin, pinAad(storeId));
}

/** Unwraps a custom key store's token PIN; undefined when it was not wrapped for this store under this root key. */
export function unwrapStorePin(rootKey: Buffer, storeId: string, wrapped: Buffer): Buffer | undefined {
  return open(rootKey, wrapped, pinAad(storeId));
}
