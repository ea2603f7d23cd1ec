import { createHash, createPublicKey, publicEncrypt, constants } from 'node:crypto';
import { parseArn } from '../../src-shared/arn';
import { KmsError } from '../../src-shared/errors';
import type { CoreOperationName } from '../../src-shared/kms/extensions';
import { compressedPoint, ecdhKeys, openEcdhDataKey, sealForEcKey, spkiOfPoint } from './ecdh';
import type { EncryptedDataKey, HeaderBody } from './header';
import { fingerprint } from './fingerprint';

/** One KMS operation, by name and JSON request, as whoever encrypts or decrypts. */
export type KmsCall = (name: CoreOperationName, request: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** The key provider id of a KMS key's encrypted data key, as the SDK's KMS keyring writes it (its info: the key's ARN). */
export const KMS_PROVIDER = 'aws-kms';
/**
 * The key namespace (provider id) of an RSA public key's encrypted data key,
 * and the start of its key name: `rsa/` and the SHA-256 of the key's
 * SubjectPublicKeyInfo in hex. The SDK's raw RSA keyring opens it when given
 * this namespace and name, OAEP with SHA-256.
 */
export const RSA_NAMESPACE = 'strongroom';

/** Who a file is encrypted for: a symmetric KMS key of this vault, or an RSA or EC public key (a KMS key's, or anyone's). */
export type Recipient = { readonly kind: 'kms'; readonly keyId: string } | { readonly kind: 'rsa' | 'ec'; readonly spki: Buffer };

/** The key name an RSA public key's encrypted data key carries. */
export function rsaKeyName(spki: Buffer): string {
  return `rsa/${createHash('sha256').update(spki).digest('hex')}`;
}

/** How an encrypted data key names its public key, and how a public key (SubjectPublicKeyInfo) is named so, to match one with the other: RSA by its key name, EC by its compressed point. */
function publicKeyName(spki: Buffer): string | undefined {
  const type = createPublicKey({ key: spki, format: 'der', type: 'spki' }).asymmetricKeyType;
  if (type === 'rsa') return rsaKeyName(spki);
  return type === 'ec' ? `ec/${compressedPoint(spki).point.toString('hex')}` : undefined;
}
function dataKeyName(edk: EncryptedDataKey): string | undefined {
  if (edk.providerId === RSA_NAMESPACE) return edk.providerInfo.toString('utf8');
  const ecdh = ecdhKeys(edk);
  return ecdh === undefined ? undefined : `ec/${ecdh.recipient.toString('hex')}`;
}

/** The encrypted data key of `dataKey` for one recipient. */
export async function sealDataKey(kms: KmsCall, recipient: Recipient, dataKey: Buffer, context: Readonly<Record<string, string>>): Promise<EncryptedDataKey> {
  if (recipient.kind === 'ec') return sealForEcKey(recipient.spki, dataKey, context);
  if (recipient.kind !== 'kms') {
    const key = createPublicKey({ key: recipient.spki, format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'rsa') throw new KmsError('ValidationException', 'A public key recipient must be an RSA key (2048 bits or more).');
    const ciphertext = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, dataKey);
    return { providerId: RSA_NAMESPACE, providerInfo: Buffer.from(rsaKeyName(recipient.spki), 'utf8'), ciphertext };
  }
  const { KeyId, CiphertextBlob } = await kms('Encrypt', { KeyId: recipient.keyId, Plaintext: dataKey.toString('base64'), EncryptionContext: context });
  return { providerId: KMS_PROVIDER, providerInfo: Buffer.from(String(KeyId), 'utf8'), ciphertext: Buffer.from(String(CiphertextBlob), 'base64') };
}

/** An enabled asymmetric key of the vault: its spec, usage and ARN, and its public key (SPKI, base64). */
export interface VaultPublicKey {
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly arn: string;
  readonly publicKey: string;
}

/** The vault's enabled asymmetric keys with their public keys, read at the first call and then kept. */
export type VaultPublicKeys = () => Promise<readonly VaultPublicKey[]>;

/** The public keys of the vault, read once (a walk of ListKeys, with DescribeKey and GetPublicKey for each key) however often one command asks. */
export function vaultPublicKeys(kms: KmsCall): VaultPublicKeys {
  let read: Promise<VaultPublicKey[]> | undefined;
  const walk = async (): Promise<VaultPublicKey[]> => {
    const found: VaultPublicKey[] = [];
    let marker: string | undefined;
    do {
      const page = (await kms('ListKeys', { Limit: 1000, ...(marker === undefined ? {} : { Marker: marker }) })) as { Keys?: { KeyId: string }[]; NextMarker?: string };
      for (const { KeyId } of page.Keys ?? []) {
        const meta = (await kms('DescribeKey', { KeyId })).KeyMetadata as { KeySpec?: string; KeyUsage?: string; KeyState?: string; Arn?: string } | undefined;
        if (meta?.KeyState !== 'Enabled' || meta.KeySpec === undefined || meta.KeyUsage === undefined || meta.KeySpec === 'SYMMETRIC_DEFAULT' || meta.KeySpec.startsWith('HMAC_')) continue;
        found.push({ keySpec: meta.KeySpec, keyUsage: meta.KeyUsage, arn: meta.Arn ?? KeyId, publicKey: String((await kms('GetPublicKey', { KeyId })).PublicKey) });
      }
      marker = page.NextMarker;
    } while (marker !== undefined);
    return found;
  };
  return () => (read ??= walk());
}

/** The vault's keys that open messages made for their public keys (RSA for ENCRYPT_DECRYPT, EC for KEY_AGREEMENT), by the names of their public keys. */
async function keyIdentities(keys: VaultPublicKeys): Promise<Map<string, VaultPublicKey>> {
  const opening = (await keys()).filter((key) => (key.keyUsage === 'ENCRYPT_DECRYPT' && key.keySpec.startsWith('RSA_')) || (key.keyUsage === 'KEY_AGREEMENT' && key.keySpec.startsWith('ECC_NIST_')));
  return new Map(opening.flatMap((key) => {
    const name = publicKeyName(Buffer.from(key.publicKey, 'base64'));
    return name === undefined ? [] : [[name, key] as const];
  }));
}

/** The data key of a public-key recipient's encrypted data key, by the vault key `key` (RSA: Decrypt; EC: DeriveSharedSecret with the sender's key); undefined when it does not open. */
async function openWithKey(kms: KmsCall, edk: EncryptedDataKey, key: VaultPublicKey, context: Readonly<Record<string, string>>): Promise<Buffer | undefined> {
  if (edk.providerId === RSA_NAMESPACE) {
    const { Plaintext } = await kms('Decrypt', { KeyId: key.arn, CiphertextBlob: edk.ciphertext.toString('base64'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    return Buffer.from(String(Plaintext), 'base64');
  }
  const { curve } = compressedPoint(Buffer.from(key.publicKey, 'base64'));
  const sender = spkiOfPoint(curve, ecdhKeys(edk)?.sender ?? Buffer.alloc(0));
  if (sender === undefined) return undefined;
  const { SharedSecret } = await kms('DeriveSharedSecret', { KeyId: key.arn, KeyAgreementAlgorithm: 'ECDH', PublicKey: sender.toString('base64') });
  const shared = Buffer.from(String(SharedSecret), 'base64');
  try {
    return openEcdhDataKey(edk, curve, shared, context);
  } finally {
    shared.fill(0);
  }
}

/**
 * The recipient that a KMS key of the vault makes: a symmetric encryption
 * key as itself, an RSA encryption key or EC key agreement key as its
 * public key (so that the SDK's raw RSA and ECDH keyrings can write to it
 * too). ValidationException for any other key.
 */
export async function recipientOfKey(kms: KmsCall, keyId: string): Promise<Recipient> {
  const meta = (await kms('DescribeKey', { KeyId: keyId })).KeyMetadata as { KeySpec?: string; KeyUsage?: string; Arn?: string };
  if (meta.KeyUsage === 'ENCRYPT_DECRYPT' && meta.KeySpec === 'SYMMETRIC_DEFAULT') return { kind: 'kms', keyId: meta.Arn ?? keyId };
  const publicKey = async (): Promise<Buffer> => Buffer.from(String((await kms('GetPublicKey', { KeyId: keyId })).PublicKey), 'base64');
  if (meta.KeyUsage === 'ENCRYPT_DECRYPT' && meta.KeySpec?.startsWith('RSA_') === true) return { kind: 'rsa', spki: await publicKey() };
  if (meta.KeyUsage === 'KEY_AGREEMENT' && meta.KeySpec?.startsWith('ECC_NIST_') === true) return { kind: 'ec', spki: await publicKey() };
  throw new KmsError('ValidationException', `${meta.Arn ?? keyId} is a ${String(meta.KeySpec)} key for ${String(meta.KeyUsage)}: a file is encrypted for a symmetric or RSA key for ENCRYPT_DECRYPT, or an EC key (NIST curve) for KEY_AGREEMENT.`);
}

/** Whether an error means only that this recipient is not one of ours (try the next), not that something is wrong. */
function notOurs(error: unknown): boolean {
  return error instanceof KmsError && ['NotFoundException', 'AccessDeniedException', 'IncorrectKeyException', 'InvalidCiphertextException', 'DisabledException', 'KMSInvalidStateException'].includes(error.type);
}

/**
 * The data key of a message: from the first of its encrypted data keys
 * that this vault opens, for the caller (a KMS key of the vault, by its
 * ARN and the message's context; an RSA or EC key of the vault, by the name
 * of its public key). InvalidCiphertextException naming the recipients when
 * none does.
 */
export async function openDataKey(kms: KmsCall, header: HeaderBody, keys: VaultPublicKeys = vaultPublicKeys(kms)): Promise<Buffer> {
  let identities: Map<string, VaultPublicKey> | undefined;
  const refusals: string[] = [];
  for (const edk of header.dataKeys) {
    const info = edk.providerInfo.toString('utf8');
    try {
      if (edk.providerId === KMS_PROVIDER) {
        const { Plaintext } = await kms('Decrypt', { KeyId: multiRegionAware(info), CiphertextBlob: edk.ciphertext.toString('base64'), EncryptionContext: header.context });
        return Buffer.from(String(Plaintext), 'base64');
      }
      const name = dataKeyName(edk);
      if (name === undefined) continue;
      identities ??= await keyIdentities(keys);
      const key = identities.get(name);
      if (key === undefined) continue;
      const dataKey = await openWithKey(kms, edk, key, header.context);
      if (dataKey !== undefined) return dataKey;
      refusals.push(`${key.arn}: its data key does not open`);
    } catch (error) {
      if (!notOurs(error)) throw error;
      refusals.push(`${describeDataKey(edk)}: ${(error as KmsError).type}`);
    }
  }
  const tried = refusals.length === 0 ? '' : ` (${refusals.join('; ')})`;
  throw new KmsError('InvalidCiphertextException', `No key of this vault opens the file: it was encrypted for ${header.dataKeys.map(describeDataKey).join(', ')}${tried}.`);
}

/** The key a KMS data key names, as the SDK's multi-Region-aware keyring reads it: a multi-Region key (`mrk-`) by its id, which its replica in this vault shares, whatever Region and account the ARN names. */
function multiRegionAware(arn: string): string {
  const parsed = parseArn(arn);
  return parsed?.resource.kind === 'key' && parsed.resource.id.startsWith('mrk-') ? parsed.resource.id : arn;
}

/** A recipient as a person reads it: a KMS key's ARN, an RSA key's name, an EC key's fingerprint. */
export function describeDataKey(edk: EncryptedDataKey): string {
  const info = edk.providerInfo.toString('utf8');
  if (edk.providerId === KMS_PROVIDER) return info;
  if (edk.providerId === RSA_NAMESPACE) return `RSA public key ${info.slice('rsa/'.length, 'rsa/'.length + 16)}…`;
  const point = ecdhKeys(edk)?.recipient;
  const curve = { 33: 'prime256v1', 49: 'secp384r1', 67: 'secp521r1' }[point?.length ?? 0];
  const spki = point === undefined || curve === undefined ? undefined : spkiOfPoint(curve, point);
  if (spki !== undefined) return `EC public key ${fingerprint(spki)}`;
  return `${edk.providerId} ${info}`;
}

/** The recipients of a message as a person reads them, naming the contacts and the vault's keys whose public keys they are. */
export async function nameRecipients(kms: KmsCall, dataKeys: readonly EncryptedDataKey[], keys: VaultPublicKeys): Promise<string[]> {
  if (dataKeys.every((edk) => dataKeyName(edk) === undefined)) return dataKeys.map(describeDataKey);
  const names = new Map([...(await keyIdentities(keys))].map(([name, key]) => [name, key.arn]));
  const { Contacts } = (await kms('ListContacts', {})) as { Contacts: { Name: string; Kind: string; PublicKey: string }[] };
  for (const contact of Contacts) {
    const name = contact.Kind === 'age' ? undefined : publicKeyName(createPublicKey(contact.PublicKey).export({ type: 'spki', format: 'der' }));
    if (name !== undefined) names.set(name, `${contact.Name} (contact)`);
  }
  return dataKeys.map((edk) => names.get(dataKeyName(edk) ?? '') ?? describeDataKey(edk));
}
