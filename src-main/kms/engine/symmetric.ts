import { KmsError } from '../../../src-shared/errors';
import { open } from '../../crypto/aesGcm';
import { BLOB_OVERHEAD, BLOB_VERSION_GCM, BLOB_VERSION_TOKEN, HEADER_BYTES, readHeader, type BlobHeader } from '../../crypto/ciphertextBlob';
import { prefixedContext } from '../../crypto/encryptionContext';
import type { AuthorizedKey, KeyDeclaration, KmsContext } from '../pipeline/declaration';
import { dryRunDone, ignoresCiphertext } from './dryRun';
import type { KeyStore } from './keyStore';

type Context = Readonly<Record<string, string>> | undefined;

/**
 * How a cryptographic operation declares a key it encrypts or decrypts
 * with: named by id, ARN or alias (`from`), Enabled, for ENCRYPT_DECRYPT,
 * with a spec that offers the algorithm the request asks for (by default
 * SYMMETRIC_DEFAULT), and the request's encryption context for policy
 * conditions.
 */
export function encryptionKey<R>(
  from: KeyDeclaration<R>['from'],
  context: (request: R) => Context,
  algorithm: (request: R) => string | undefined = () => undefined,
  action?: KeyDeclaration<R>['action'],
): KeyDeclaration<R> {
  return {
    from,
    naming: 'id-or-alias',
    ...(action === undefined ? {} : { action }),
    states: 'crypto',
    usage: { usage: 'ENCRYPT_DECRYPT', algorithm: (request) => algorithm(request) ?? 'SYMMETRIC_DEFAULT' },
    context,
  };
}

/** Encrypts `plaintext` under the current backing key of `key` into a ciphertext blob (XAES-256-GCM, docs/ciphertext-format.md); also names the key material used. */
export function encryptBlob(ctx: KmsContext, key: AuthorizedKey, plaintext: Buffer, context: Context): { blob: Buffer; materialId: string } {
  const { xaes, materialId, blobHeader } = ctx.vault.store.backingKey(ctx.unlocked.rootKey.value, key.keyId, key.currentVersion);
  const blob = Buffer.allocUnsafe(BLOB_OVERHEAD + plaintext.length); // every byte is written below: header, nonce, ciphertext, tag
  blobHeader.copy(blob, 0);
  xaes.sealInto(plaintext, prefixedContext(blobHeader, context), blob, HEADER_BYTES);
  return { blob, materialId };
}

/**
 * Decrypts a ciphertext blob under `key`, the key its header names (see
 * {@link ciphertextKey}). Any change to the blob or the encryption context
 * gives InvalidCiphertextException. A DryRun stops here, once the ciphertext
 * has proved good, with the plaintext zero-filled. The caller zeroizes the
 * returned plaintext.
 */
export function decryptBlob(ctx: KmsContext, key: AuthorizedKey, { blob, header }: Ciphertext, context: Context): { plaintext: Buffer; materialId: string } {
  if (header === undefined || header.keyId !== key.keyId || header.format === BLOB_VERSION_TOKEN) throw new KmsError('InvalidCiphertextException', 'The ciphertext is not a Strongroom symmetric ciphertext, or it was damaged.');
  if (header.keyVersion < 1 || header.keyVersion > key.currentVersion) {
    throw new KmsError('InvalidCiphertextException', 'The ciphertext refers to a key version this key does not have.');
  }
  const { material, xaes, materialId } = ctx.vault.store.backingKey(ctx.unlocked.rootKey.value, key.keyId, header.keyVersion);
  const aad = prefixedContext(blob.subarray(0, HEADER_BYTES), context);
  const sealed = blob.subarray(HEADER_BYTES);
  const plaintext = header.format === BLOB_VERSION_GCM ? open(material, sealed, aad) : xaes.open(sealed, aad);
  if (plaintext === undefined) {
    throw new KmsError('InvalidCiphertextException', 'The ciphertext does not decrypt: it was changed, or the encryption context differs from the one it was encrypted with.');
  }
  if (ctx.dryRun) {
    plaintext.fill(0);
    throw dryRunDone();
  }
  return { plaintext, materialId };
}

/** A request's ciphertext blob and its header (undefined when it is not a Strongroom symmetric ciphertext). */
export interface Ciphertext {
  readonly blob: Buffer;
  readonly header: BlobHeader | undefined;
}

/** Decoded ciphertexts by request: the key's locator and the handler of one call read the same bytes, decoded once. */
const decoded = new WeakMap<object, Ciphertext>();

/** The decoded ciphertext of a request (whose check made sure there is one), decoded once per request. */
export function ciphertextOf(request: { readonly CiphertextBlob?: string | undefined }): Ciphertext {
  let ciphertext = decoded.get(request);
  if (ciphertext === undefined) {
    const blob = Buffer.from(request.CiphertextBlob ?? '', 'base64');
    ciphertext = { blob, header: readHeader(blob) };
    decoded.set(request, ciphertext);
  }
  return ciphertext;
}

/** What a request to decrypt gives: its ciphertext and its DryRun. */
interface DecryptingRequest {
  readonly CiphertextBlob?: string | undefined;
  readonly DryRun?: boolean | undefined;
  readonly DryRunModifiers?: readonly string[] | undefined;
}

/**
 * Checks a request to decrypt (Decrypt, ReEncrypt) before the vault is
 * asked anything: it must give a ciphertext, or for a DryRun with
 * IGNORE_CIPHERTEXT, name the key (`keyIdInput`, the member `field`)
 * whose permission is checked; so must a request to decrypt with an
 * asymmetric algorithm, whose ciphertexts do not name their key.
 */
export function checkDecryptRequest(request: DecryptingRequest, keyIdInput: string | undefined, field: string, asymmetric: boolean): void {
  if (ignoresCiphertext(request)) {
    if (keyIdInput === undefined) throw new KmsError('ValidationException', `${field} is required for a DryRun with IGNORE_CIPHERTEXT: it names the key whose permission is checked.`);
  } else if (request.CiphertextBlob === undefined) {
    throw new KmsError('ValidationException', 'CiphertextBlob is required.');
  }
  if (asymmetric && keyIdInput === undefined) throw new KmsError('ValidationException', `${field} is required to decrypt with an asymmetric key: its ciphertexts do not name the key.`);
}

/**
 * The key a request to decrypt names: the one in its ciphertext's header;
 * IncorrectKeyException when the request names (`keyIdInput`) another one.
 * A DryRun with IGNORE_CIPHERTEXT has no ciphertext, and an asymmetric
 * ciphertext names no key: the request names it.
 */
export function ciphertextKey(request: DecryptingRequest, keyIdInput: string | undefined, store: KeyStore, asymmetric: boolean): string | undefined {
  if (ignoresCiphertext(request) || asymmetric) return keyIdInput;
  const { header } = ciphertextOf(request);
  if (header === undefined) throw new KmsError('InvalidCiphertextException', 'The ciphertext is not a Strongroom symmetric ciphertext, or it was damaged.');
  if (keyIdInput !== undefined) {
    const named = store.resolve(keyIdInput, true);
    if (named.keyId !== header.keyId) throw new KmsError('IncorrectKeyException', `The ciphertext was not encrypted under ${store.keyArn(named.keyId)}.`);
  }
  return header.keyId;
}
