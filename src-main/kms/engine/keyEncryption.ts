import { KmsError } from '../../../src-shared/errors';
import { oaepDecrypt, oaepEncrypt, oaepMaxPlaintext, type RsaHash } from '../../crypto/asymmetric/rsa';
import type { EncryptionAlgorithm } from '../keySpecs';
import type { AuthorizedKey, KmsContext } from '../pipeline/declaration';
import { dryRunDone } from './dryRun';
import { withPrivateKey, type PrivateKey } from './keyPairs';
import { decryptBlob, encryptBlob, type Ciphertext } from './symmetric';
import { decryptOnToken, encryptOnToken } from './tokenKeys';

type Context = Readonly<Record<string, string>> | undefined;

/** The OAEP hash of an RSAES algorithm; undefined for SYMMETRIC_DEFAULT. */
function oaepHash(algorithm: EncryptionAlgorithm): RsaHash | undefined {
  if (algorithm === 'RSAES_OAEP_SHA_1') return 'sha1';
  if (algorithm === 'RSAES_OAEP_SHA_256') return 'sha256';
  return undefined;
}

/** True for the algorithms of asymmetric keys, whose ciphertexts name no key: Decrypt needs the KeyId. */
export function isAsymmetricAlgorithm(algorithm: EncryptionAlgorithm | undefined): boolean {
  return (algorithm ?? 'SYMMETRIC_DEFAULT') !== 'SYMMETRIC_DEFAULT';
}

/** ValidationException for an encryption context given with an asymmetric algorithm, which has nowhere to bind it (as AWS KMS answers). */
export function checkContextForAlgorithm(algorithm: EncryptionAlgorithm | undefined, context: Context, member: string): void {
  if (isAsymmetricAlgorithm(algorithm) && context !== undefined && Object.keys(context).length > 0) {
    throw new KmsError('ValidationException', `${member} is for symmetric encryption only: ${String(algorithm)} takes no encryption context.`);
  }
}

function rsaKeyOf(ctx: KmsContext, key: AuthorizedKey, privateKey: PrivateKey): PrivateKey & { kind: 'rsa' } {
  if (privateKey.kind !== 'rsa') throw new KmsError('InvalidKeyUsageException', `${ctx.vault.store.keyArn(key.keyId)} is not an RSA key.`);
  return privateKey;
}

/**
 * Encrypts `plaintext` under `key` with `algorithm`: a Strongroom ciphertext
 * blob for SYMMETRIC_DEFAULT (sealed by the token for a key in a custom key
 * store), RSAES-OAEP for an RSA key (the plaintext at
 * most what the key size and hash allow, ValidationException beyond).
 */
export function encryptWith(ctx: KmsContext, key: AuthorizedKey, plaintext: Buffer, context: Context, algorithm: EncryptionAlgorithm | undefined): { blob: Buffer; materialId: string } {
  const hash = oaepHash(algorithm ?? 'SYMMETRIC_DEFAULT');
  if (hash === undefined) return key.origin === 'AWS_CLOUDHSM' ? encryptOnToken(ctx, key, plaintext, context) : encryptBlob(ctx, key, plaintext, context);
  return withPrivateKey(ctx, key, (privateKey, materialId) => {
    const rsa = rsaKeyOf(ctx, key, privateKey);
    const max = oaepMaxPlaintext(rsa.bits, hash);
    if (plaintext.length > max) throw new KmsError('ValidationException', `${key.keySpec} with ${String(algorithm)} encrypts at most ${String(max)} bytes; this plaintext has ${String(plaintext.length)}.`);
    return { blob: oaepEncrypt(rsa.key, hash, plaintext), materialId };
  });
}

/**
 * Decrypts a ciphertext under `key` with `algorithm` (see {@link encryptWith});
 * InvalidCiphertextException when it does not decrypt. A DryRun stops once it
 * has. The caller zeroizes the plaintext.
 */
export function decryptWith(ctx: KmsContext, key: AuthorizedKey, ciphertext: Ciphertext, context: Context, algorithm: EncryptionAlgorithm | undefined): { plaintext: Buffer; materialId: string } {
  const hash = oaepHash(algorithm ?? 'SYMMETRIC_DEFAULT');
  if (hash === undefined) return key.origin === 'AWS_CLOUDHSM' ? decryptOnToken(ctx, key, ciphertext, context) : decryptBlob(ctx, key, ciphertext, context);
  const decrypted = withPrivateKey(ctx, key, (privateKey, materialId) => ({ plaintext: oaepDecrypt(rsaKeyOf(ctx, key, privateKey).key, hash, ciphertext.blob), materialId }));
  if (decrypted.plaintext === undefined) throw new KmsError('InvalidCiphertextException', `The ciphertext does not decrypt under ${ctx.vault.store.keyArn(key.keyId)} with ${String(algorithm)}.`);
  if (ctx.dryRun) {
    decrypted.plaintext.fill(0);
    throw dryRunDone();
  }
  return { plaintext: decrypted.plaintext, materialId: decrypted.materialId };
}
