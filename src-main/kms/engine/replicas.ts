import { createHmac, createPublicKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import * as z from 'zod';
import { DAY_MS } from '../../../src-shared/limits';
import { KmsError } from '../../../src-shared/errors';
import { formatArn, REGION_NAME } from '../../../src-shared/arn';
import type { AccountId } from '../../../src-shared/ids';
import { oaepDecrypt, oaepEncrypt, rsaPrivateKey } from '../../crypto/asymmetric/rsa';
import { open, seal } from '../../crypto/aesGcm';
import { unwrapReplicationKey, wrapBackingKey, wrapReplicationKey } from '../../crypto/backingKeys';
import { randomFill } from '../../crypto/random';
import { secretBuffer } from '../../crypto/secret';
import type { KeyRow } from '../../vault/keysRepo';
import type { AuthorizedKey, KmsContext } from '../pipeline/declaration';
import { newMaterial } from './keyMaterial';
import { checkKeyPolicy } from './keyPolicies';
import { publicKeyOfPkcs8 } from './keyPairs';
import { multiRegionOf, storedMultiRegion, type MultiRegion, type RegionKey } from './multiRegion';

/**
 * Replicas of a multi-Region key in other vaults, carried by two files:
 *
 * 1. The replica's vault writes a **replication request**: its vault id,
 *    Region, account, a request id and a fresh RSA 3072 public key (the
 *    private key kept, wrapped by its root key, for 24 hours).
 * 2. The primary's vault answers with a **bundle** (ReplicateKey): the key's
 *    spec, usage, description, policy, tags and multi-Region configuration,
 *    and every version's material under a fresh transport key (AES-256-GCM,
 *    bound to the key id, version and material id); the transport key under
 *    the request's public key (RSAES-OAEP SHA-256); an HMAC-SHA256 over the
 *    rest under the transport key, so that no field changes on the way.
 * 3. The replica's vault opens it (ImportReplicaKey): the same key id,
 *    versions and material ids, so each vault decrypts the other's
 *    ciphertexts. The request opens one bundle; a later bundle of the same
 *    key (after a rotation of the primary) brings the versions missing.
 */

const REQUEST_VALID_MS = DAY_MS;
const RSA_BITS = 3072;

const requestSchema = z.strictObject({
  Format: z.literal('strongroom-replication-request'),
  RequestId: z.string().regex(/^[0-9a-f]{32}$/),
  VaultId: z.uuid(),
  Region: z.string().regex(REGION_NAME, 'a Region name such as eu-west-1'),
  AccountId: z.string().regex(/^\d{12}$/),
  PublicKey: z.base64(),
  ValidTo: z.iso.datetime(),
});
export type ReplicationRequest = z.infer<typeof requestSchema>;

const regionKey = z.strictObject({ Arn: z.string(), Region: z.string() });
const bundleSchema = z.strictObject({
  Format: z.literal('strongroom-replica-bundle'),
  RequestId: z.string(),
  SourceVaultId: z.uuid(),
  KeyId: z.string().regex(/^mrk-[0-9a-f]{32}$/),
  ReplicaArn: z.string(),
  MultiRegionConfiguration: z.strictObject({ MultiRegionKeyType: z.literal('PRIMARY'), PrimaryKey: regionKey, ReplicaKeys: z.array(regionKey) }),
  KeySpec: z.string(),
  KeyUsage: z.string(),
  Description: z.string(),
  Policy: z.string(),
  Tags: z.array(z.strictObject({ TagKey: z.string(), TagValue: z.string() })),
  Enabled: z.boolean(),
  CurrentVersion: z.int().positive(),
  Versions: z.array(z.strictObject({ Version: z.int().positive(), KeyMaterialId: z.string(), CreationDate: z.int(), RotationType: z.enum(['AUTOMATIC', 'ON_DEMAND']).nullable(), Material: z.base64() })).min(1),
  TransportKey: z.base64(),
  Mac: z.base64(),
});
type Bundle = z.infer<typeof bundleSchema>;

/** What binds one version's material in a bundle to its place. */
function versionAad(keyId: string, version: number, materialId: string): Buffer {
  return Buffer.from(`strongroom replica material v1\0${keyId}\0${String(version)}\0${materialId}`, 'utf8');
}

/** The MAC of a bundle: HMAC-SHA256 under the transport key of its JSON without the Mac. */
function bundleMac(transportKey: Buffer, bundle: Omit<Bundle, 'Mac'>): Buffer {
  return createHmac('sha256', transportKey).update(JSON.stringify(bundle)).digest();
}

function parsed<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KmsError('ValidationException', `The ${what} is not JSON.`);
  }
  const checked = schema.safeParse(value);
  if (!checked.success) throw new KmsError('ValidationException', `The ${what} is not one this version reads: ${checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}.`);
  return checked.data;
}

/** A new replication request of this vault (CreateReplicationRequest). */
export function newReplicationRequest(ctx: KmsContext, now: number): ReplicationRequest {
  const { store } = ctx.vault;
  requireRegionName(store.region);
  const requestId = randomBytes(16).toString('hex');
  const material = { kind: 'rsa', bits: RSA_BITS } as const;
  const secret = newMaterial(material);
  try {
    const publicKey = publicKeyOfPkcs8(material, secret.value);
    if (publicKey === undefined) throw new KmsError('KMSInternalException', 'A fresh wrapping key did not parse.');
    const validTo = now + REQUEST_VALID_MS;
    store.replicationRequests.add({ requestId, wrappedPrivateKey: wrapReplicationKey(ctx.unlocked.rootKey.value, requestId, secret.value), validTo }, now);
    return { Format: 'strongroom-replication-request', RequestId: requestId, VaultId: ctx.vault.record.vaultId, Region: store.region, AccountId: store.accountId, PublicKey: publicKey.toString('base64'), ValidTo: new Date(validTo).toISOString() };
  } finally {
    secret.destroy();
  }
}

/** A request's public key: RSA of 2048 bits or more (ValidationException otherwise). */
function requestKey(spki: string): KeyObject {
  try {
    const key = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return key;
  } catch {
    // said below
  }
  throw new KmsError('ValidationException', "The replication request's PublicKey is not an RSA public key of 2048 bits or more: it was not made by strongroom replica request, or was changed.");
}

/** A vault that holds multi-Region keys has a Region name (UnsupportedOperationException otherwise). */
export function requireRegionName(region: string): void {
  if (!REGION_NAME.test(region)) throw new KmsError('UnsupportedOperationException', `This vault's Region is "${region}": a vault that holds multi-Region keys needs a Region name (such as eu-west-1), given when it is created (strongroom init --region).`);
}

/** What the primary's vault is asked for a replica: where, and the replica's own description and tags (the primary's when not given) and policy (the replica vault's default when empty). */
export interface ReplicaAsk {
  readonly region: string;
  readonly requestText: string;
  readonly description: string;
  readonly policy: string;
  readonly tags: readonly { TagKey: string; TagValue: string }[];
}

/**
 * The bundle of `key` (a multi-Region primary) for the vault whose request
 * is given, which the primary now lists among its replicas (ReplicateKey).
 * ValidationException when the request is not for `ask.region`, or names
 * this vault's Region. For a Region that holds a replica already, the
 * bundle brings it the versions made since (after a rotation).
 */
export function replicaBundle(ctx: KmsContext, key: AuthorizedKey, ask: ReplicaAsk): { bundle: string; replicaArn: string; replicaAccount: string } {
  const { store } = ctx.vault;
  const arn = store.keyArn(key.keyId);
  const config = multiRegionOf(key);
  if (config?.MultiRegionKeyType !== 'PRIMARY') throw new KmsError('UnsupportedOperationException', `${arn} is not a multi-Region primary key: only a primary key (CreateKey with MultiRegion) is replicated.`);
  const request = parsed(requestSchema, ask.requestText, 'replication request');
  if (request.Region !== ask.region) throw new KmsError('ValidationException', `The replication request is from Region ${request.Region}, not ${ask.region}.`);
  if (request.Region === store.region) throw new KmsError('ValidationException', `The replica Region ${request.Region} is this vault's own: a replica goes to another vault, in another Region.`);
  if (Date.parse(request.ValidTo) <= Date.now()) throw new KmsError('ExpiredImportTokenException', `The replication request expired at ${request.ValidTo}: ask the replica's vault for a new one.`);
  const publicKey = requestKey(request.PublicKey);
  const replicaArn = formatArn({ partition: 'aws', region: request.Region, accountId: request.AccountId as AccountId, resource: { kind: 'key', id: key.keyId } });
  const known = config.ReplicaKeys.some((replica) => replica.Region === request.Region); // a bundle for a replica it has brings its new versions
  const replicas: RegionKey[] = known ? config.ReplicaKeys : [...config.ReplicaKeys, { Arn: replicaArn, Region: request.Region }];
  const transportKey = randomFill(secretBuffer(32));
  try {
    const versions = store.versions.list(key.keyId).map((version) => ({
      Version: version.version,
      KeyMaterialId: version.materialId,
      CreationDate: version.createdAt,
      RotationType: version.rotationType,
      Material: store.withMaterial(ctx.unlocked.rootKey.value, key.keyId, version.version, (material) => seal(transportKey, material, versionAad(key.keyId, version.version, version.materialId)).toString('base64')),
    }));
    const fields: Omit<Bundle, 'Mac'> = {
      Format: 'strongroom-replica-bundle',
      RequestId: request.RequestId,
      SourceVaultId: ctx.vault.record.vaultId,
      KeyId: key.keyId,
      ReplicaArn: replicaArn,
      MultiRegionConfiguration: { MultiRegionKeyType: 'PRIMARY', PrimaryKey: config.PrimaryKey, ReplicaKeys: replicas },
      KeySpec: key.keySpec,
      KeyUsage: key.keyUsage,
      Description: ask.description,
      Policy: ask.policy,
      Tags: [...ask.tags],
      Enabled: key.keyState === 'Enabled',
      CurrentVersion: key.currentVersion,
      Versions: versions,
      TransportKey: oaepEncrypt(publicKey, 'sha256', transportKey).toString('base64'),
    };
    store.keys.update(key.keyId, { multiRegion: storedMultiRegion({ ...config, ReplicaKeys: replicas }) });
    return { bundle: JSON.stringify({ ...fields, Mac: bundleMac(transportKey, fields).toString('base64') }), replicaArn, replicaAccount: request.AccountId };
  } finally {
    transportKey.fill(0);
  }
}

/** The transport key of a bundle, opened with the private key of the request it answers (which is then used up). */
function transportKeyOf(ctx: KmsContext, bundle: Bundle): Buffer {
  const { store } = ctx.vault;
  const request = store.replicationRequests.get(bundle.RequestId);
  if (request === undefined) throw new KmsError('InvalidImportTokenException', `The bundle answers replication request ${bundle.RequestId}, which this vault did not give or has already used.`);
  if (request.validTo <= Date.now()) throw new KmsError('ExpiredImportTokenException', `Replication request ${bundle.RequestId} expired at ${new Date(request.validTo).toISOString()}: make a new request.`);
  const pkcs8 = unwrapReplicationKey(ctx.unlocked.rootKey.value, bundle.RequestId, request.wrappedPrivateKey);
  if (pkcs8 === undefined) throw new KmsError('KMSInternalException', "The request's private key does not unwrap under this vault's root key.");
  try {
    const privateKey = rsaPrivateKey(pkcs8, RSA_BITS);
    const transportKey = privateKey === undefined ? undefined : oaepDecrypt(privateKey, 'sha256', Buffer.from(bundle.TransportKey, 'base64'));
    if (transportKey === undefined) throw new KmsError('InvalidCiphertextException', 'The bundle was not made for this replication request.');
    return transportKey;
  } finally {
    pkcs8.fill(0);
  }
}

/**
 * Opens a bundle as a replica in this vault (ImportReplicaKey): checks its
 * MAC and that it is for this vault's Region and account, then adds the key
 * (or, for a replica this vault has, the versions it lacks and the newer
 * configuration) with the same id, versions and material ids. Returns the
 * replica's row.
 */
export function importReplica(ctx: KmsContext, bundleText: string, now: number): KeyRow {
  const { store } = ctx.vault;
  const bundle = parsed(bundleSchema, bundleText, 'replica bundle');
  const transportKey = transportKeyOf(ctx, bundle);
  try {
    const { Mac, ...fields } = bundle;
    const mac = Buffer.from(Mac, 'base64');
    const expected = bundleMac(transportKey, fields);
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw new KmsError('InvalidCiphertextException', 'The bundle was changed after it was made: its MAC does not match.');
    if (bundle.ReplicaArn !== store.keyArn(bundle.KeyId)) throw new KmsError('ValidationException', `The bundle is for ${bundle.ReplicaArn}, not a key of this vault.`);
    const config: MultiRegion = { MultiRegionKeyType: 'REPLICA', PrimaryKey: bundle.MultiRegionConfiguration.PrimaryKey, ReplicaKeys: bundle.MultiRegionConfiguration.ReplicaKeys };
    return store.db.transaction(() => {
      const existing = store.keys.get(bundle.KeyId);
      if (existing !== undefined && multiRegionOf(existing)?.PrimaryKey.Arn !== config.PrimaryKey.Arn) throw new KmsError('AlreadyExistsException', `${store.keyArn(bundle.KeyId)} exists and is not a replica of ${config.PrimaryKey.Arn}.`);
      const row: KeyRow = existing ?? {
        keyId: bundle.KeyId, createdAt: now, description: bundle.Description, keySpec: bundle.KeySpec as KeyRow['keySpec'], keyUsage: bundle.KeyUsage as KeyRow['keyUsage'], origin: 'AWS_KMS', keyManager: 'CUSTOMER',
        keyState: bundle.Enabled ? 'Enabled' : 'Disabled', deletionDate: null, pendingWindowDays: null, rotationPeriodDays: null, nextRotationAt: null, onDemandRotations: 0, currentVersion: bundle.CurrentVersion, exportable: 0, multiRegion: storedMultiRegion(config),
      };
      if (existing === undefined) {
        const policy = bundle.Policy === '' ? store.defaultPolicy : bundle.Policy;
        checkKeyPolicy(policy, { principal: ctx.caller.principal, identityPolicies: ctx.vault.users.identityPolicies(ctx.caller.principal), keyArn: store.keyArn(row.keyId), bypassLockoutCheck: false });
        store.keys.insert(row);
        store.putKeyPolicy(row.keyId, policy);
        store.tags.put(row.keyId, bundle.Tags);
      } else {
        store.keys.update(row.keyId, { currentVersion: Math.max(existing.currentVersion, bundle.CurrentVersion), multiRegion: storedMultiRegion(config) });
      }
      for (const version of bundle.Versions) {
        if (store.versions.get(row.keyId, version.Version) !== undefined) continue;
        const material = open(transportKey, Buffer.from(version.Material, 'base64'), versionAad(row.keyId, version.Version, version.KeyMaterialId));
        if (material === undefined) throw new KmsError('InvalidCiphertextException', `Version ${String(version.Version)}'s material in the bundle does not open.`);
        try {
          store.versions.insert({ keyId: row.keyId, version: version.Version, materialId: version.KeyMaterialId, wrapped: wrapBackingKey(ctx.unlocked.rootKey.value, row.keyId, version.Version, material), createdAt: version.CreationDate, rotationType: version.RotationType });
        } finally {
          material.fill(0);
        }
      }
      store.replicationRequests.delete(bundle.RequestId);
      store.clearCache(row.keyId);
      return store.keys.get(row.keyId) ?? row;
    })();
  } finally {
    transportKey.fill(0);
  }
}
