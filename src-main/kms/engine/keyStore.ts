import { ReplicationRequestsRepo } from '../../vault/replicationRequestsRepo';
import { formatArn, parseArn } from '../../../src-shared/arn';
import { KmsError } from '../../../src-shared/errors';
import type { AccountId } from '../../../src-shared/ids';
import { unwrapBackingKey } from '../../crypto/backingKeys';
import type { CachedPublicKey } from '../../crypto/asymmetric/publicKey';
import { blobHeader } from '../../crypto/ciphertextBlob';
import { XaesKey } from '../../crypto/xaes';
import { AliasesRepo } from '../../vault/aliasesRepo';
import type { Db } from '../../vault/db';
import { KeysRepo, type KeyRow } from '../../vault/keysRepo';
import { KeyVersionsRepo } from '../../vault/keyVersionsRepo';
import { ImportsRepo } from '../../vault/importsRepo';
import { KeyPoliciesRepo } from '../../vault/keyPoliciesRepo';
import { GrantsRepo, type GrantRow } from '../../vault/grantsRepo';
import { grantConstraintsOf, type AwsGrantConstraints, type GrantInput } from '../../policy/grants';
import { defaultKeyPolicy } from '../../policy/defaultKeyPolicy';
import type { PolicyDocument } from '../../policy/document';
import { parsePolicy } from '../../policy/parse';
import { CustomKeyStoresRepo } from '../../vault/customKeyStoresRepo';
import { SealSlot, type StateSeal } from '../../vault/stateSeal';
import { TagsRepo } from '../../vault/tagsRepo';

const CACHE_ENTRIES = 4096;

/** One version's backing key in plaintext and ready for XAES-256-GCM (secret), the id AWS calls its key material by, and the header of the ciphertexts it makes (these two are not secret). */
export interface BackingKey {
  readonly material: Buffer;
  readonly xaes: XaesKey;
  readonly materialId: string;
  readonly blobHeader: Buffer;
}

/**
 * The KMS keys of one vault: the repositories, key-id resolution (id, key
 * ARN, alias name, alias ARN), and a bounded cache of unwrapped backing keys
 * that is zero-filled by {@link KeyStore.clearCache} when the vault locks.
 */
export class KeyStore {
  readonly keys: KeysRepo;
  readonly versions: KeyVersionsRepo;
  readonly aliases: AliasesRepo;
  readonly tags: TagsRepo;
  readonly imports: ImportsRepo;
  readonly customKeyStores: CustomKeyStoresRepo;
  readonly policies: KeyPoliciesRepo;
  readonly grants: GrantsRepo;
  readonly replicationRequests: ReplicationRequestsRepo;
  /** The seal the repositories check rows against and seal them with, while the vault is unlocked. */
  readonly seal = new SealSlot();
  private readonly cache = new Map<string, BackingKey>();
  private readonly macKeys = new Map<string, { readonly material: Buffer; readonly materialId: string }>();
  private readonly publicKeys = new Map<string, CachedPublicKey>();
  private readonly parsedPolicies = new Map<string, { readonly text: string; readonly document: PolicyDocument }>();
  private readonly keyGrants = new Map<string, readonly GrantInput[]>();
  private readonly keyArns = new Map<string, string>();

  constructor(
    readonly db: Db,
    readonly region: string,
    readonly accountId: string,
  ) {
    this.keys = new KeysRepo(db, this.seal);
    this.versions = new KeyVersionsRepo(db, this.seal);
    this.aliases = new AliasesRepo(db);
    this.tags = new TagsRepo(db);
    this.imports = new ImportsRepo(db, this.seal);
    this.customKeyStores = new CustomKeyStoresRepo(db, this.seal);
    this.policies = new KeyPoliciesRepo(db, this.seal);
    this.grants = new GrantsRepo(db, this.seal);
    this.replicationRequests = new ReplicationRequestsRepo(db);
  }

  /** The grants of `keyId` as the policy engine takes them; read once, then cached until one of them changes (see {@link KeyStore.grantsChanged}) or the vault locks. */
  grantsOf(keyId: string): readonly GrantInput[] {
    let cached = this.keyGrants.get(keyId);
    if (cached === undefined) {
      cached = this.grants.ofKey(keyId).map(grantInput);
      if (this.keyGrants.size >= CACHE_ENTRIES) this.keyGrants.clear();
      this.keyGrants.set(keyId, cached);
    }
    return cached;
  }

  /** Forgets the cached grants of `keyId`: call it in the transaction that creates, retires or revokes one. */
  grantsChanged(keyId: string): void {
    this.keyGrants.delete(keyId);
  }

  /** The key policy a key gets when none is given: AWS's default, which lets the account root do everything. */
  get defaultPolicy(): string {
    return defaultKeyPolicy(this.accountId);
  }

  /**
   * The policy of `keyId`, as its text and parsed; read, checked against its
   * seal and parsed once, then cached until it is replaced or the vault
   * locks. A key without one has lost it (TamperedVaultException): every
   * key is given one when it is made, or at the first unlock after keys got
   * policies.
   */
  keyPolicy(keyId: string): { readonly text: string; readonly document: PolicyDocument } {
    let cached = this.parsedPolicies.get(keyId);
    if (cached === undefined) {
      const text = this.policies.get(keyId);
      if (text === undefined) throw new KmsError('TamperedVaultException', `The vault has been changed outside Strongroom: the key policy of key ${keyId} is missing.`);
      cached = { text, document: parsePolicy(text, 'key') };
      if (this.parsedPolicies.size >= CACHE_ENTRIES) this.parsedPolicies.clear();
      this.parsedPolicies.set(keyId, cached);
    }
    return cached;
  }

  /** Sets the policy of `keyId` (text already checked), sealed. */
  putKeyPolicy(keyId: string, text: string): void {
    this.policies.put(keyId, text);
    this.parsedPolicies.delete(keyId);
  }

  /** The ARN of a key id (cached: every call names its key's ARN several times). */
  keyArn(keyId: string): string {
    let arn = this.keyArns.get(keyId);
    if (arn === undefined) {
      arn = formatArn({ partition: 'aws', region: this.region, accountId: this.accountId as AccountId, resource: { kind: 'key', id: keyId } });
      if (this.keyArns.size >= CACHE_ENTRIES) this.keyArns.clear();
      this.keyArns.set(keyId, arn);
    }
    return arn;
  }

  /** The ARN of an alias name (`alias/...`). */
  aliasArn(aliasName: string): string {
    return formatArn({ partition: 'aws', region: this.region, accountId: this.accountId as AccountId, resource: { kind: 'alias', name: aliasName.slice('alias/'.length) } });
  }

  /**
   * The key that `keyIdInput` names: a key id or key ARN, or (when
   * `aliases`) an alias name or alias ARN. NotFoundException when there is
   * none in this vault, or when it names an alias and `aliases` is false.
   */
  resolve(keyIdInput: string, aliases: boolean): KeyRow {
    let keyId = keyIdInput;
    let aliasName: string | undefined;
    if (keyIdInput.startsWith('alias/')) aliasName = keyIdInput;
    else if (keyIdInput.startsWith('arn:')) {
      const arn = parseArn(keyIdInput);
      if (arn === undefined) throw new KmsError('NotFoundException', `Invalid arn ${keyIdInput}.`);
      if (arn.accountId !== this.accountId || arn.region !== this.region) {
        throw new KmsError('NotFoundException', `${keyIdInput} is not in this vault (account ${this.accountId}, region ${this.region}).`);
      }
      if (arn.resource.kind === 'alias') aliasName = `alias/${arn.resource.name}`;
      else keyId = arn.resource.id;
    }
    if (aliasName !== undefined && !aliases) {
      throw new KmsError('NotFoundException', `Invalid keyId ${keyIdInput}: this operation takes a key id or key ARN, not an alias. DescribeKey gives the key an alias points at.`);
    }
    if (aliasName !== undefined) {
      const alias = this.aliases.get(aliasName);
      if (alias === undefined) throw new KmsError('NotFoundException', `Alias ${this.aliasArn(aliasName)} is not found.`);
      keyId = alias.keyId;
    }
    const row = this.keys.get(keyId);
    if (row === undefined) throw new KmsError('NotFoundException', `Key '${this.keyArn(keyId)}' does not exist.`);
    return row;
  }

  /**
   * The plaintext backing key of one version, unwrapped with the root key
   * (once, then cached), and its key-material id. The cache owns the
   * buffer: callers use it and do not keep it.
   */
  backingKey(rootKey: Buffer, keyId: string, version: number): BackingKey {
    const cacheKey = `${keyId}/${String(version)}`;
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const { material, materialId } = this.unwrap(rootKey, keyId, version);
    if (this.cache.size >= CACHE_ENTRIES) {
      const [oldest, evicted] = this.cache.entries().next().value as [string, BackingKey];
      forget(evicted);
      this.cache.delete(oldest);
    }
    const backing = { material, xaes: new XaesKey(material), materialId, blobHeader: blobHeader(keyId, version) };
    this.cache.set(cacheKey, backing);
    return backing;
  }

  /**
   * Runs `use` with the plaintext material of one version (an HMAC key, a
   * PKCS#8 private key), unwrapped for this call alone and zero-filled
   * when it returns; `use` must not keep it.
   */
  withMaterial<T>(rootKey: Buffer, keyId: string, version: number, use: (material: Buffer, materialId: string) => T): T {
    const { material, materialId } = this.unwrap(rootKey, keyId, version);
    try {
      return use(material, materialId);
    } finally {
      material.fill(0);
    }
  }

  /**
   * The plaintext HMAC key of one version and its key-material id, unwrapped
   * once and then cached like symmetric backing keys (and zero-filled with
   * them by {@link KeyStore.clearCache}). The cache owns the buffer.
   */
  macKey(rootKey: Buffer, keyId: string, version: number): { readonly material: Buffer; readonly materialId: string } {
    const cacheKey = `${keyId}/${String(version)}`;
    let cached = this.macKeys.get(cacheKey);
    if (cached === undefined) {
      cached = this.unwrap(rootKey, keyId, version);
      if (this.macKeys.size >= CACHE_ENTRIES) this.clearMacKeys();
      this.macKeys.set(cacheKey, cached);
    }
    return cached;
  }

  /**
   * The public key of one version of a key pair, derived by `derive` (from
   * the private key) on first use and then cached until the vault locks or
   * the key's material changes: Verify, Encrypt and GetPublicKey need only it.
   */
  publicKey(keyId: string, version: number, derive: () => CachedPublicKey): CachedPublicKey {
    const cacheKey = `${keyId}/${String(version)}`;
    let cached = this.publicKeys.get(cacheKey);
    if (cached === undefined) {
      cached = derive();
      if (this.publicKeys.size >= CACHE_ENTRIES) this.publicKeys.clear();
      this.publicKeys.set(cacheKey, cached);
    }
    return cached;
  }

  private clearMacKeys(keyId?: string): void {
    for (const [cacheKey, { material }] of this.macKeys) {
      if (keyId === undefined || cacheKey.startsWith(`${keyId}/`)) {
        material.fill(0);
        this.macKeys.delete(cacheKey);
      }
    }
  }

  private unwrap(rootKey: Buffer, keyId: string, version: number): { material: Buffer; materialId: string } {
    const row = this.versions.get(keyId, version);
    if (row === undefined) throw new KmsError('InvalidCiphertextException', 'The ciphertext refers to a key version this key does not have.');
    const material = unwrapBackingKey(rootKey, keyId, version, row.wrapped);
    if (material === undefined) throw new KmsError('KMSInternalException', `The backing key of ${this.keyArn(keyId)} does not unwrap under this vault's root key.`);
    return { material, materialId: row.materialId };
  }

  /** Puts `seal` in use (at unlock), or with undefined destroys the one in use (at lock); cached rows are read and checked again either way. */
  useSeal(seal: StateSeal | undefined): void {
    if (this.seal.current !== seal) this.seal.current?.destroy();
    this.seal.current = seal;
    this.keys.forgetRows();
  }

  /** Zero-fills and forgets every cached backing key and HMAC key of `keyId`, or all of them (and their public keys). */
  clearCache(keyId?: string): void {
    this.clearMacKeys(keyId);
    for (const byKey of [this.parsedPolicies, this.keyGrants]) {
      if (keyId === undefined) byKey.clear();
      else byKey.delete(keyId);
    }
    for (const cacheKey of this.publicKeys.keys()) if (keyId === undefined || cacheKey.startsWith(`${keyId}/`)) this.publicKeys.delete(cacheKey);
    for (const [cacheKey, backing] of this.cache) {
      if (keyId === undefined || cacheKey.startsWith(`${keyId}/`)) {
        forget(backing);
        this.cache.delete(cacheKey);
      }
    }
  }
}

/** A grant row as the policy engine takes it. */
function grantInput(row: GrantRow): GrantInput {
  const constraints = grantConstraintsOf(row.constraints === null ? undefined : (JSON.parse(row.constraints) as AwsGrantConstraints));
  return { grantId: row.grantId, granteePrincipal: row.grantee, operations: JSON.parse(row.operations) as string[], ...(constraints === undefined ? {} : { constraints }) };
}

function forget(backing: BackingKey): void {
  backing.material.fill(0);
  backing.xaes.destroy();
}
