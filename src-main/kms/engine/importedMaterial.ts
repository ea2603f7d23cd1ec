import { randomBytes, timingSafeEqual } from 'node:crypto';
import { assertNever } from '../../../src-shared/brand';
import { KmsError } from '../../../src-shared/errors';
import { DAY_MS } from '../../../src-shared/limits';
import { unwrapImportKey, wrapBackingKey, wrapImportKey } from '../../crypto/backingKeys';
import { unwrapRsaAesKeyWrap } from '../../crypto/asymmetric/keyWrap';
import { oaepDecrypt, type RsaHash } from '../../crypto/asymmetric/rsa';
import { sm2Decrypt } from '../../crypto/asymmetric/sm2';
import type { ImportedMaterialRow } from '../../vault/importsRepo';
import type { KeyRow } from '../../vault/keysRepo';
import type { KeySpecRow, Material } from '../keySpecs';
import type { Vault } from '../lifecycle/vault';
import type { AuthorizedKey, KmsContext } from '../pipeline/declaration';
import { newMaterial, newMaterialId } from './keyMaterial';
import { dropPrivateKey, privateKeyOf, publicKeyOfPkcs8, type PrivateKey } from './keyPairs';
import type { KeyStore } from './keyStore';

/** Import parameters are valid for 24 hours, as AWS KMS's. */
export const IMPORT_PARAMETERS_VALID_MS = DAY_MS;
/** ValidTo may be at most 365 days ahead, as AWS KMS allows. */
const MAX_VALID_TO_MS = 365 * DAY_MS;
const TOKEN_FORMAT = 0x01;
const TOKEN_BYTES = 1 + 16 + 16;

type WrappingAlgorithm = 'RSAES_PKCS1_V1_5' | 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256' | 'SM2PKE';
type WrappingKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096' | 'SM2';

/** How a wrapping algorithm wraps: RSAES-OAEP with its hash, the material under an AES key (RSA_AES_KEY_WRAP), or SM2PKE. UnsupportedOperationException for RSAES_PKCS1_V1_5, which AWS KMS no longer offers either. */
type Wrapping = { readonly family: 'rsa'; readonly hash: RsaHash; readonly aesKeyWrap: boolean } | { readonly family: 'sm2' };

function wrapping(algorithm: WrappingAlgorithm): Wrapping {
  switch (algorithm) {
    case 'RSAES_OAEP_SHA_1':
      return { family: 'rsa', hash: 'sha1', aesKeyWrap: false };
    case 'RSAES_OAEP_SHA_256':
      return { family: 'rsa', hash: 'sha256', aesKeyWrap: false };
    case 'RSA_AES_KEY_WRAP_SHA_1':
      return { family: 'rsa', hash: 'sha1', aesKeyWrap: true };
    case 'RSA_AES_KEY_WRAP_SHA_256':
      return { family: 'rsa', hash: 'sha256', aesKeyWrap: true };
    case 'SM2PKE':
      return { family: 'sm2' };
    case 'RSAES_PKCS1_V1_5':
      throw new KmsError('UnsupportedOperationException', 'RSAES_PKCS1_V1_5 wrapping is no longer offered (nor by AWS KMS): use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.');
    default:
      return assertNever(algorithm, 'wrapping algorithm');
  }
}

/** The material of a wrapping key of `spec`. */
function wrappingMaterial(spec: WrappingKeySpec): Material {
  return spec === 'SM2' ? { kind: 'ec', curve: 'SM2' } : { kind: 'rsa', bits: Number(spec.slice('RSA_'.length)) as 2048 | 3072 | 4096 };
}

/** Checks GetParametersForImport's algorithm and key spec before the vault is asked anything: SM2PKE wraps with an SM2 key, the others with an RSA key (ValidationException). */
export function checkImportParameters(algorithm: WrappingAlgorithm, spec: WrappingKeySpec): void {
  const { family } = wrapping(algorithm);
  if ((family === 'sm2') !== (spec === 'SM2')) throw new KmsError('ValidationException', `${algorithm} does not wrap with a ${spec} key: SM2PKE goes with WrappingKeySpec SM2, the RSA algorithms with RSA_2048, RSA_3072 or RSA_4096.`);
}

/** The key material `encrypted` wrapped as `how` says to the wrapping key `privateKey`; undefined when it does not open. */
function unwrapMaterial(privateKey: PrivateKey, how: Wrapping, encrypted: Buffer): Buffer | undefined {
  if (how.family === 'sm2') return privateKey.kind === 'ec' ? sm2Decrypt(privateKey.scalar, encrypted) : undefined;
  if (privateKey.kind !== 'rsa') return undefined;
  return how.aesKeyWrap ? unwrapRsaAesKeyWrap(privateKey.key, privateKey.bits / 8, how.hash, encrypted) : oaepDecrypt(privateKey.key, how.hash, encrypted);
}

/** Throws UnsupportedOperationException unless `key` takes imported material. */
export function requireExternal(ctx: KmsContext, key: KeyRow): void {
  if (key.origin !== 'EXTERNAL') throw new KmsError('UnsupportedOperationException', `${ctx.vault.store.keyArn(key.keyId)} has ${key.origin} key material: only a key created with Origin EXTERNAL takes imported material.`);
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

/**
 * New import parameters for `key`: a fresh wrapping key pair (RSA or SM2),
 * whose private key is kept wrapped by the root key for 24 hours, and the
 * import token that names it (format 0x01, token id, key id).
 */
export function newImportParameters(ctx: KmsContext, key: AuthorizedKey, algorithm: WrappingAlgorithm, spec: WrappingKeySpec, now: number): { token: Buffer; publicKey: Buffer; validTo: number } {
  const material = wrappingMaterial(spec);
  const tokenId = randomBytes(16);
  const secret = newMaterial(material);
  try {
    const publicKey = publicKeyOfPkcs8(material, secret.value);
    if (publicKey === undefined) throw new KmsError('KMSInternalException', 'A fresh wrapping key did not parse.');
    const validTo = now + IMPORT_PARAMETERS_VALID_MS;
    const wrapped = wrapImportKey(ctx.unlocked.rootKey.value, tokenId.toString('hex'), secret.value);
    ctx.vault.store.imports.addParameters({ tokenId: tokenId.toString('hex'), keyId: key.keyId, wrappingAlgorithm: algorithm, wrappingKeySpec: spec, wrappedPrivateKey: wrapped, validTo }, now);
    return { token: Buffer.concat([Uint8Array.of(TOKEN_FORMAT), tokenId, uuidBytes(key.keyId)]), publicKey, validTo };
  } finally {
    secret.destroy();
  }
}

/**
 * The key material of an ImportKeyMaterial request, unwrapped with the
 * private key its import token names: InvalidImportTokenException for a
 * token this vault did not give for this key, ExpiredImportTokenException
 * after its 24 hours, InvalidCiphertextException when the material does not
 * open. A secret buffer the caller zero-fills.
 */
export function openImportedMaterial(ctx: KmsContext, key: AuthorizedKey, tokenBytes: Buffer, encrypted: Buffer, now: number): Buffer {
  const arn = ctx.vault.store.keyArn(key.keyId);
  const tokenId = tokenBytes.length === TOKEN_BYTES && tokenBytes[0] === TOKEN_FORMAT ? tokenBytes.subarray(1, 17).toString('hex') : undefined;
  const parameters = tokenId === undefined ? undefined : ctx.vault.store.imports.parameters(tokenId);
  if (tokenId === undefined || parameters?.keyId !== key.keyId) throw new KmsError('InvalidImportTokenException', `The import token was not made for ${arn}: call GetParametersForImport for this key.`);
  if (parameters.validTo <= now) throw new KmsError('ExpiredImportTokenException', `The import token expired at ${new Date(parameters.validTo).toISOString()}: call GetParametersForImport again.`);
  const how = wrapping(parameters.wrappingAlgorithm as WrappingAlgorithm);
  const pkcs8 = unwrapImportKey(ctx.unlocked.rootKey.value, tokenId, parameters.wrappedPrivateKey);
  if (pkcs8 === undefined) throw new KmsError('KMSInternalException', `The wrapping key of this import token does not unwrap under this vault's root key.`);
  let material: Buffer | undefined;
  try {
    const privateKey = privateKeyOf(wrappingMaterial(parameters.wrappingKeySpec as WrappingKeySpec), pkcs8);
    if (privateKey !== undefined) {
      try {
        material = unwrapMaterial(privateKey, how, encrypted);
      } finally {
        dropPrivateKey(privateKey);
      }
    }
  } finally {
    pkcs8.fill(0);
  }
  if (material === undefined) throw new KmsError('InvalidCiphertextException', `EncryptedKeyMaterial does not open with this import token's wrapping key and ${parameters.wrappingAlgorithm}.`);
  return material;
}

/** The lengths of HMAC key material AWS KMS imports, per spec. */
const HMAC_IMPORT_BYTES: Readonly<Record<string, readonly [number, number]>> = { HMAC_224: [28, 64], HMAC_256: [32, 64], HMAC_384: [48, 128], HMAC_512: [64, 128] };

/** ValidationException unless `material` is key material of `spec`: a 256-bit AES key, an HMAC key of the spec's lengths, or a PKCS#8 private key of the spec. */
export function checkMaterial(spec: KeySpecRow, material: Buffer): void {
  const { kind } = spec.material;
  if (kind === 'aes' && material.length !== 32) throw new KmsError('ValidationException', `Key material for ${spec.spec} is 32 bytes (a 256-bit key), not ${String(material.length)}.`);
  if (kind === 'hmac') {
    const [min, max] = HMAC_IMPORT_BYTES[spec.spec] ?? [0, 0];
    if (material.length < min || material.length > max) throw new KmsError('ValidationException', `Key material for ${spec.spec} is ${String(min)} to ${String(max)} bytes, not ${String(material.length)}.`);
  }
  if (kind === 'rsa' || kind === 'ec' || kind === 'ed25519' || kind === 'mldsa') {
    const privateKey = privateKeyOf(spec.material, material);
    if (privateKey === undefined) throw new KmsError('ValidationException', `Key material for ${spec.spec} is a PKCS#8 (DER) private key of that spec.`);
    dropPrivateKey(privateKey);
  }
}

/** What an import says of the material's expiry, checked as AWS KMS checks it (ValidationException). */
export function expiryOf(request: { readonly ValidTo?: number | undefined; readonly ExpirationModel?: ImportedMaterialRow['expirationModel'] | undefined }, now: number): Pick<ImportedMaterialRow, 'expirationModel' | 'validTo'> {
  const model = request.ExpirationModel ?? (request.ValidTo === undefined ? 'KEY_MATERIAL_DOES_NOT_EXPIRE' : 'KEY_MATERIAL_EXPIRES');
  if (model === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    if (request.ValidTo !== undefined) throw new KmsError('ValidationException', 'ValidTo goes with ExpirationModel KEY_MATERIAL_EXPIRES only.');
    return { expirationModel: model, validTo: null };
  }
  if (request.ValidTo === undefined) throw new KmsError('ValidationException', 'ExpirationModel KEY_MATERIAL_EXPIRES needs ValidTo.');
  const validTo = Math.round(request.ValidTo * 1000);
  if (validTo <= now || validTo > now + MAX_VALID_TO_MS) throw new KmsError('ValidationException', 'ValidTo must be in the future, and at most 365 days ahead.');
  return { expirationModel: model, validTo };
}

/**
 * Installs imported material in `key`: the first time (or after it was
 * deleted or expired) as its one version, making a PendingImport key
 * Enabled; a re-import must bring the same material (IncorrectKeyMaterialException
 * otherwise), known by the same KeyMaterialId. Either way the import's
 * expiry replaces the last one. Returns the KeyMaterialId.
 */
export function installImportedMaterial(vault: Vault, key: KeyRow, material: Buffer, expiry: Pick<ImportedMaterialRow, 'expirationModel' | 'validTo'>, now: number): string {
  const { store } = vault;
  return vault.use(({ rootKey }) => {
    const fingerprint = store.seal.required().mac('imported key material', [key.keyId, material]);
    const previous = store.imports.material(key.keyId);
    if (previous !== undefined && !timingSafeEqual(previous.fingerprint, fingerprint)) {
      throw new KmsError('IncorrectKeyMaterialException', `This is not the key material that was imported into ${store.keyArn(key.keyId)} before: a key takes only the material it was first given.`);
    }
    const materialId = previous?.materialId ?? newMaterialId();
    store.db.transaction(() => {
      if (key.currentVersion === 0) {
        store.versions.insert({ keyId: key.keyId, version: 1, materialId, wrapped: wrapBackingKey(rootKey.value, key.keyId, 1, material), createdAt: now, rotationType: null });
        store.keys.update(key.keyId, { currentVersion: 1, ...(key.keyState === 'PendingImport' ? { keyState: 'Enabled' } : {}) });
      }
      store.imports.putMaterial({ keyId: key.keyId, materialId, fingerprint, ...expiry });
    })();
    return materialId;
  });
}

/** Deletes a key's imported material (on request, or when it expires): the key is PendingImport until the same material is imported again (a key pending deletion stays so). */
export function deleteImportedMaterial(vault: Vault, key: KeyRow): string | undefined {
  const { store } = vault;
  const previous = store.imports.material(key.keyId);
  store.db.transaction(() => {
    store.versions.deleteAll(key.keyId);
    store.keys.update(key.keyId, { currentVersion: 0, ...(key.keyState === 'PendingDeletion' ? {} : { keyState: 'PendingImport' }) });
    if (previous !== undefined) store.imports.putMaterial({ ...previous, expirationModel: null, validTo: null });
  })();
  store.clearCache(key.keyId);
  return previous?.materialId;
}

/** ExpirationModel and ValidTo of a key with imported material, for KeyMetadata. */
export function expiryMetadata(store: KeyStore, key: KeyRow): { ExpirationModel?: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE'; ValidTo?: number } {
  if (key.origin !== 'EXTERNAL') return {};
  const row = store.imports.material(key.keyId);
  if (row?.expirationModel == null) return {};
  return { ExpirationModel: row.expirationModel, ...(row.validTo === null ? {} : { ValidTo: row.validTo / 1000 }) };
}
