import { createHash } from 'node:crypto';
import { KmsError } from '../../../src-shared/errors';
import { BLOB_VERSION_TOKEN, HEADER_BYTES, blobHeader } from '../../crypto/ciphertextBlob';
import { prefixedContext } from '../../crypto/encryptionContext';
import { randomFill } from '../../crypto/random';
import { GCM_IV_BYTES } from '../../crypto/aesGcm';
import { destroyKeyOnToken, gcmOpenOnToken, gcmSealOnToken } from '../../hsm/tokenKeys';
import type { TokenSession } from '../../hsm/token';
import type { KeyRow } from '../../vault/keysRepo';
import type { TokenKeyRow } from '../../vault/customKeyStoresRepo';
import type { Unlocked, Vault } from '../lifecycle/vault';
import type { AuthorizedKey, KmsContext } from '../pipeline/declaration';
import { storeSession } from './customKeyStores';
import { dryRunDone } from './dryRun';
import type { Ciphertext } from './symmetric';

type Context = Readonly<Record<string, string>> | undefined;

/** The CKA_ID of a key's object on its token: the 16 bytes of its key id. */
export function objectIdOf(keyId: string): Buffer {
  return Buffer.from(keyId.replaceAll('-', ''), 'hex');
}

/** Where a token key lives, and its store's session; KMSInternalException for a key the vault does not know the token of. */
export function onToken(ctx: KmsContext, key: AuthorizedKey): { row: TokenKeyRow; session: TokenSession } {
  const arn = ctx.vault.store.keyArn(key.keyId);
  const row = ctx.vault.store.customKeyStores.tokenKey(key.keyId);
  if (row === undefined) throw new KmsError('KMSInternalException', `${arn} has AWS_CLOUDHSM material, but the vault does not say which token holds it.`);
  return { row, session: storeSession(ctx.vault, ctx.unlocked, row.customKeyStoreId, arn) };
}

/** The KeyMaterialId of a key on a token: a hash of its store and object id (the material itself is never seen). */
export function materialIdOf(row: TokenKeyRow): string {
  return createHash('sha256').update(`${row.customKeyStoreId}\0`).update(row.objectId).digest('hex');
}

/** Encrypts under a key on a token: a ciphertext blob of format 0x03, sealed by the token with AES-256-GCM (docs/ciphertext-format.md). */
export function encryptOnToken(ctx: KmsContext, key: AuthorizedKey, plaintext: Buffer, context: Context): { blob: Buffer; materialId: string } {
  const { row, session } = onToken(ctx, key);
  const header = blobHeader(key.keyId, 1, BLOB_VERSION_TOKEN);
  const iv = randomFill(Buffer.alloc(GCM_IV_BYTES));
  const sealed = gcmSealOnToken(session, row.objectId, iv, prefixedContext(header, context), plaintext);
  return { blob: Buffer.concat([header, iv, sealed]), materialId: materialIdOf(row) };
}

/** Decrypts a blob made by {@link encryptOnToken}, on the token; InvalidCiphertextException when it does not open. A DryRun stops once it has. */
export function decryptOnToken(ctx: KmsContext, key: AuthorizedKey, { blob, header }: Ciphertext, context: Context): { plaintext: Buffer; materialId: string } {
  if (header?.format !== BLOB_VERSION_TOKEN || header.keyId !== key.keyId) throw new KmsError('InvalidCiphertextException', 'The ciphertext was not made by this key on its token, or it was damaged.');
  const { row, session } = onToken(ctx, key);
  const aad = prefixedContext(blob.subarray(0, HEADER_BYTES), context);
  const plaintext = gcmOpenOnToken(session, row.objectId, blob.subarray(HEADER_BYTES, HEADER_BYTES + GCM_IV_BYTES), aad, blob.subarray(HEADER_BYTES + GCM_IV_BYTES));
  if (plaintext === undefined) throw new KmsError('InvalidCiphertextException', 'The ciphertext does not decrypt: it was changed, or the encryption context differs from the one it was encrypted with.');
  if (ctx.dryRun) {
    plaintext.fill(0);
    throw dryRunDone();
  }
  return { plaintext, materialId: materialIdOf(row) };
}

/**
 * Destroys a deleted key's object on its token when its store is connected;
 * otherwise says so (as AWS leaves the key material in a disconnected
 * cluster, for its administrator to delete).
 */
export function destroyTokenKey(vault: Vault, unlocked: Unlocked, key: KeyRow): Record<string, string> {
  const row = vault.store.customKeyStores.tokenKey(key.keyId);
  if (row === undefined) return {};
  try {
    destroyKeyOnToken(storeSession(vault, unlocked, row.customKeyStoreId, vault.store.keyArn(key.keyId)), row.objectId);
    return { customKeyStoreId: row.customKeyStoreId, keyMaterialOnToken: 'destroyed' };
  } catch {
    return { customKeyStoreId: row.customKeyStoreId, keyMaterialOnToken: `left on the token: object id ${row.objectId.toString('hex')}` };
  }
}
