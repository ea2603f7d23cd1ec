import { KmsError } from '../../../src-shared/errors';
import { open, sealInto } from '../../crypto/aesGcm';
import { BLOB_OVERHEAD, HEADER_BYTES, readHeader } from '../../crypto/ciphertextBlob';
import { prefixedContext } from '../../crypto/encryptionContext';
import type { KeyRow } from '../../vault/keysRepo';
import { resolveKey, type KmsContext } from '../context';

type Context = Readonly<Record<string, string>> | undefined;

/** Throws InvalidKeyUsageException unless `key` is a symmetric encryption key used with SYMMETRIC_DEFAULT. */
export function requireSymmetricEncryption(ctx: KmsContext, key: KeyRow, algorithm: string | undefined): void {
  const arn = ctx.vault.store.keyArn(key.keyId);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT' || key.keyUsage !== 'ENCRYPT_DECRYPT') {
    throw new KmsError('InvalidKeyUsageException', `${arn} is a ${key.keySpec} key for ${key.keyUsage}; this operation needs a SYMMETRIC_DEFAULT key for ENCRYPT_DECRYPT.`);
  }
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('InvalidKeyUsageException', `${arn} is a symmetric key: its only encryption algorithm is SYMMETRIC_DEFAULT, not ${algorithm}.`);
  }
}

/** Encrypts `plaintext` under the current backing key of `key` into a ciphertext blob; also names the key material used. */
export function encryptBlob(ctx: KmsContext, key: KeyRow, plaintext: Buffer, context: Context): { blob: Buffer; materialId: string } {
  return ctx.vault.use(({ rootKey }) => {
    const { material, materialId, blobHeader } = ctx.vault.store.backingKey(rootKey.value, key.keyId, key.currentVersion);
    const blob = Buffer.allocUnsafe(BLOB_OVERHEAD + plaintext.length); // every byte is written below: header, IV, ciphertext, tag
    blobHeader.copy(blob, 0);
    sealInto(material, plaintext, prefixedContext(blobHeader, context), blob, HEADER_BYTES);
    return { blob, materialId };
  });
}

/**
 * Decrypts a ciphertext blob. The key comes from the blob; when the caller
 * names one (`keyIdInput`) and it is another key, IncorrectKeyException.
 * `authorizeUse` runs once the key is known, before anything is decrypted.
 * Any change to the blob or the encryption context gives
 * InvalidCiphertextException. The caller zeroizes the returned plaintext.
 */
export function decryptBlob(
  ctx: KmsContext,
  blob: Buffer,
  context: Context,
  keyIdInput: string | undefined,
  algorithm: string | undefined,
  authorizeUse: (key: KeyRow) => void,
): { key: KeyRow; plaintext: Buffer; materialId: string } {
  const header = readHeader(blob);
  if (header === undefined) throw new KmsError('InvalidCiphertextException', 'The ciphertext is not a Strongroom symmetric ciphertext, or it was damaged.');
  if (keyIdInput !== undefined) {
    const named = ctx.vault.store.resolve(keyIdInput, true);
    if (named.keyId !== header.keyId) {
      throw new KmsError('IncorrectKeyException', `The ciphertext was not encrypted under ${ctx.vault.store.keyArn(named.keyId)}.`);
    }
  }
  const key = resolveKey(ctx, header.keyId, 'crypto');
  requireSymmetricEncryption(ctx, key, algorithm);
  if (header.keyVersion < 1 || header.keyVersion > key.currentVersion) {
    throw new KmsError('InvalidCiphertextException', 'The ciphertext refers to a key version this key does not have.');
  }
  authorizeUse(key);
  const { material, materialId } = ctx.vault.use(({ rootKey }) => ctx.vault.store.backingKey(rootKey.value, key.keyId, header.keyVersion));
  const plaintext = open(material, blob.subarray(HEADER_BYTES), prefixedContext(blob.subarray(0, HEADER_BYTES), context));
  if (plaintext === undefined) {
    throw new KmsError('InvalidCiphertextException', 'The ciphertext does not decrypt: it was changed, or the encryption context differs from the one it was encrypted with.');
  }
  return { key, plaintext, materialId };
}

/** The decoded ciphertext blob of a request; ValidationException when it is missing. */
export function ciphertextOf(blob: string | undefined): Buffer {
  if (blob === undefined) throw new KmsError('ValidationException', 'CiphertextBlob is required.');
  return Buffer.from(blob, 'base64');
}

/** Refuses a Recipient (Nitro enclave attestation), which this desktop has no use for. */
export function refuseRecipient(recipient: unknown): void {
  if (recipient !== undefined) throw new KmsError('UnsupportedOperationException', 'Recipient (a Nitro enclave attestation) is not supported on this desktop.');
}

/** True for a DryRun that checks permission only, without a ciphertext (DryRunModifiers IGNORE_CIPHERTEXT, Decrypt and ReEncrypt). */
export function ignoresCiphertext(request: { DryRun?: boolean | undefined; DryRunModifiers?: readonly string[] | undefined }): boolean {
  return request.DryRun === true && request.DryRunModifiers?.includes('IGNORE_CIPHERTEXT') === true;
}

/** The key a DryRun that ignores the ciphertext checks permission on: `field` of the request names it, since no ciphertext does. */
export function dryRunKey(ctx: KmsContext, keyIdInput: string | undefined, field: string, algorithm: string | undefined): KeyRow {
  if (keyIdInput === undefined) throw new KmsError('ValidationException', `${field} is required for a DryRun with IGNORE_CIPHERTEXT: it names the key whose permission is checked.`);
  const key = resolveKey(ctx, keyIdInput, 'crypto', 'id-or-alias');
  requireSymmetricEncryption(ctx, key, algorithm);
  return key;
}

/** After every check has passed: stops a DryRun request as AWS does. */
export function stopIfDryRun(dryRun: boolean | undefined): void {
  if (dryRun === true) throw new KmsError('DryRunOperationException', 'The request would have succeeded, but DryRun was set.');
}
