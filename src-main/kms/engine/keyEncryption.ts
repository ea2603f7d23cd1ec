import { KmsError } from '../../../src-shared/errors';
import type { PublicKey } from '../../crypto/asymmetric/publicKey';
import { oaepDecrypt, oaepEncrypt, oaepMaxPlaintext } from '../../crypto/asymmetric/rsa';
import type { OaepHash } from '../../hsm/rootOfTrust/rsaKeyPair';
import { sm2Decrypt, sm2Encrypt } from '../../crypto/asymmetric/sm2';
import type { EncryptionAlgorithm } from '../keySpecs';
import type { AuthorizedKey, KmsContext } from '../pipeline/declaration';
import { dryRunDone } from './dryRun';
import { publicKeyOf, withPrivateKey, type PrivateKey } from './keyPairs';
import { decryptBlob, encryptBlob, type Ciphertext } from './symmetric';
import { oaepDecryptOnToken, publicKeyOfTokenKey } from './tokenKeyPairs';
import { decryptOnToken, encryptOnToken } from './tokenKeys';

type Context = Readonly<Record<string, string>> | undefined;

/** How an asymmetric encryption algorithm encrypts: RSAES-OAEP with its hash, or SM2PKE; undefined for SYMMETRIC_DEFAULT. */
type Scheme = { readonly family: 'rsa'; readonly hash: OaepHash } | { readonly family: 'sm2' };

function schemeOf(algorithm: EncryptionAlgorithm): Scheme | undefined {
  if (algorithm === 'RSAES_OAEP_SHA_1') return { family: 'rsa', hash: 'sha1' };
  if (algorithm === 'RSAES_OAEP_SHA_256') return { family: 'rsa', hash: 'sha256' };
  if (algorithm === 'SM2PKE') return { family: 'sm2' };
  return undefined;
}

/** SM2PKE encrypts at most 1024 bytes, as AWS KMS allows. */
const SM2PKE_MAX_PLAINTEXT = 1024;

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

/** Whether `scheme` encrypts with a key of this kind and curve. */
function fits(key: { readonly kind: string; readonly curve?: string }, scheme: Scheme): boolean {
  return scheme.family === 'rsa' ? key.kind === 'rsa' : key.kind === 'ec' && key.curve === 'SM2';
}

function requireFit(ctx: KmsContext, key: AuthorizedKey, kind: { readonly kind: string; readonly curve?: string }, scheme: Scheme): void {
  if (!fits(kind, scheme)) throw new KmsError('InvalidKeyUsageException', `${ctx.vault.store.keyArn(key.keyId)} is not ${scheme.family === 'rsa' ? 'an RSA' : 'an SM2'} key.`);
}

/** The ciphertext of `plaintext` to `publicKey` with `scheme`; ValidationException when it is longer than the algorithm and key size allow. */
function encryptAsymmetric(key: AuthorizedKey, publicKey: PublicKey, scheme: Scheme, algorithm: EncryptionAlgorithm, plaintext: Buffer): Buffer {
  const max = publicKey.kind === 'rsa' && scheme.family === 'rsa' ? oaepMaxPlaintext(publicKey.bits, scheme.hash) : SM2PKE_MAX_PLAINTEXT;
  if (plaintext.length > max) throw new KmsError('ValidationException', `${key.keySpec} with ${algorithm} encrypts at most ${String(max)} bytes; this plaintext has ${String(plaintext.length)}.`);
  if (publicKey.kind === 'rsa' && scheme.family === 'rsa') return oaepEncrypt(publicKey.key, scheme.hash, plaintext);
  if (publicKey.kind === 'ec') return sm2Encrypt(publicKey.point, plaintext);
  throw new KmsError('KMSInternalException', `${algorithm} has no key of ${key.keySpec}.`);
}

/**
 * Encrypts `plaintext` under `key` with `algorithm`: a Strongroom ciphertext
 * blob for SYMMETRIC_DEFAULT (sealed by the token for a key in a custom key
 * store), RSAES-OAEP for an RSA key, SM2PKE for an SM2 key (with the key's
 * public key; the plaintext at most what the algorithm and key size allow,
 * ValidationException beyond).
 */
export function encryptWith(ctx: KmsContext, key: AuthorizedKey, plaintext: Buffer, context: Context, algorithm: EncryptionAlgorithm | undefined): { blob: Buffer; materialId: string } {
  const scheme = algorithm === undefined ? undefined : schemeOf(algorithm);
  if (scheme === undefined || algorithm === undefined) return key.origin === 'AWS_CLOUDHSM' ? encryptOnToken(ctx, key, plaintext, context) : encryptBlob(ctx, key, plaintext, context);
  const publicKey = key.origin === 'AWS_CLOUDHSM' ? publicKeyOfTokenKey(ctx, key) : publicKeyOf(ctx, key);
  requireFit(ctx, key, publicKey.key, scheme);
  return { blob: encryptAsymmetric(key, publicKey.key, scheme, algorithm, plaintext), materialId: publicKey.materialId };
}

/** The plaintext of `blob` under a private key fitting `scheme`; undefined when it does not decrypt. */
function decryptAsymmetric(privateKey: PrivateKey, scheme: Scheme, blob: Buffer): Buffer | undefined {
  if (privateKey.kind === 'rsa' && scheme.family === 'rsa') return oaepDecrypt(privateKey.key, scheme.hash, blob);
  if (privateKey.kind === 'ec' && scheme.family === 'sm2') return sm2Decrypt(privateKey.scalar, blob);
  return undefined;
}

/**
 * Decrypts a ciphertext under `key` with `algorithm` (see {@link encryptWith});
 * InvalidCiphertextException when it does not decrypt. A DryRun stops once it
 * has. The caller zeroizes the plaintext.
 */
export function decryptWith(ctx: KmsContext, key: AuthorizedKey, ciphertext: Ciphertext, context: Context, algorithm: EncryptionAlgorithm | undefined): { plaintext: Buffer; materialId: string } {
  const scheme = schemeOf(algorithm ?? 'SYMMETRIC_DEFAULT');
  if (scheme === undefined) return key.origin === 'AWS_CLOUDHSM' ? decryptOnToken(ctx, key, ciphertext, context) : decryptBlob(ctx, key, ciphertext, context);
  const decrypted =
    key.origin === 'AWS_CLOUDHSM' && scheme.family === 'rsa'
      ? oaepDecryptOnToken(ctx, key, scheme.hash, ciphertext.blob)
      : withPrivateKey(ctx, key, (privateKey, materialId) => {
          requireFit(ctx, key, privateKey, scheme);
          return { plaintext: decryptAsymmetric(privateKey, scheme, ciphertext.blob), materialId };
        });
  if (decrypted.plaintext === undefined) throw new KmsError('InvalidCiphertextException', `The ciphertext does not decrypt under ${ctx.vault.store.keyArn(key.keyId)} with ${String(algorithm)}.`);
  if (ctx.dryRun) {
    decrypted.plaintext.fill(0);
    throw dryRunDone();
  }
  return { plaintext: decrypted.plaintext, materialId: decrypted.materialId };
}
