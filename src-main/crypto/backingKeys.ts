import { seal, open } from './aesGcm';

/**
 * What each secret wrapped by the vault root key is bound to (its AES-GCM
 * associated data): a purpose and version label, then the ids it belongs
 * to, joined by NUL. A wrapped value of one purpose or id does not open as
 * another.
 */
function boundTo(label: string, ...ids: string[]): Buffer {
  return Buffer.from([label, ...ids].join('\0'), 'utf8');
}

const backingKey = (keyId: string, version: number): Buffer => boundTo('strongroom backing key v1', keyId, String(version));
const importKey = (tokenId: string): Buffer => boundTo('strongroom import wrapping key v1', tokenId);
const storePin = (storeId: string): Buffer => boundTo('strongroom custom key store pin v1', storeId);
const accessKeySecret = (accessKeyId: string): Buffer => boundTo('strongroom access key secret v1', accessKeyId);

/** Wraps a backing key under the vault root key, bound to its KMS key id and version: `IV ‖ ciphertext ‖ tag`. */
export function wrapBackingKey(rootKey: Buffer, keyId: string, version: number, material: Buffer): Buffer {
  return seal(rootKey, material, backingKey(keyId, version));
}

/** Unwraps a backing key; undefined when it was not wrapped for this key id and version under this root key. */
export function unwrapBackingKey(rootKey: Buffer, keyId: string, version: number, wrapped: Buffer): Buffer | undefined {
  return open(rootKey, wrapped, backingKey(keyId, version));
}

/** Wraps the private half of an import's wrapping key pair under the vault root key, bound to its import token. */
export function wrapImportKey(rootKey: Buffer, tokenId: string, privateKey: Buffer): Buffer {
  return seal(rootKey, privateKey, importKey(tokenId));
}

/** Unwraps an import's wrapping private key; undefined when it was not wrapped for this token under this root key. */
export function unwrapImportKey(rootKey: Buffer, tokenId: string, wrapped: Buffer): Buffer | undefined {
  return open(rootKey, wrapped, importKey(tokenId));
}

/** Wraps a custom key store's token PIN under the vault root key, bound to the store. */
export function wrapStorePin(rootKey: Buffer, storeId: string, pin: Buffer): Buffer {
  return seal(rootKey, pin, storePin(storeId));
}

/** Unwraps a custom key store's token PIN; undefined when it was not wrapped for this store under this root key. */
export function unwrapStorePin(rootKey: Buffer, storeId: string, wrapped: Buffer): Buffer | undefined {
  return open(rootKey, wrapped, storePin(storeId));
}

/** Wraps an IAM access key's secret under the vault root key, bound to its access key id. */
export function wrapAccessKeySecret(rootKey: Buffer, accessKeyId: string, secret: Buffer): Buffer {
  return seal(rootKey, secret, accessKeySecret(accessKeyId));
}

/** Unwraps an access key's secret; undefined when it was not wrapped for this access key id under this root key. */
export function unwrapAccessKeySecret(rootKey: Buffer, accessKeyId: string, wrapped: Buffer): Buffer | undefined {
  return open(rootKey, wrapped, accessKeySecret(accessKeyId));
}

const ageIdentitySecret = (recipient: string): Buffer => boundTo('strongroom age identity v1', recipient);

/** Wraps an age identity's secret under the vault root key, bound to its recipient. */
export function wrapAgeIdentity(rootKey: Buffer, recipient: string, secret: Buffer): Buffer {
  return seal(rootKey, secret, ageIdentitySecret(recipient));
}

/** Unwraps an age identity's secret; undefined when it was not wrapped for this recipient under this root key. */
export function unwrapAgeIdentity(rootKey: Buffer, recipient: string, wrapped: Buffer): Buffer | undefined {
  return open(rootKey, wrapped, ageIdentitySecret(recipient));
}

const recoveryWrap = (vaultId: string, splitId: string): Buffer => boundTo('strongroom recovery split v1', vaultId, splitId);

/** Wraps the vault root key under a recovery secret (whose only copies are a split's shares), bound to the vault and the split. */
export function wrapRootForRecovery(recoverySecret: Buffer, vaultId: string, splitId: string, rootKey: Buffer): Buffer {
  return seal(recoverySecret, rootKey, recoveryWrap(vaultId, splitId));
}

/** The root key from a recovery secret; undefined when the secret is not that split's. */
export function unwrapRootForRecovery(recoverySecret: Buffer, vaultId: string, splitId: string, wrapped: Buffer): Buffer | undefined {
  return open(recoverySecret, wrapped, recoveryWrap(vaultId, splitId));
}

const replicationKey = (requestId: string): Buffer => boundTo('strongroom replication request v1', requestId);

/** Wraps a replication request's private key under the vault root key, bound to the request. */
export function wrapReplicationKey(rootKey: Buffer, requestId: string, privateKey: Buffer): Buffer {
  return seal(rootKey, privateKey, replicationKey(requestId));
}

/** Unwraps a replication request's private key; undefined when it was not wrapped for this request under this root key. */
export function unwrapReplicationKey(rootKey: Buffer, requestId: string, wrapped: Buffer): Buffer | undefined {
  return open(rootKey, wrapped, replicationKey(requestId));
}
