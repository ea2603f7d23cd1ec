import type { Db } from './db';
import type { SealSlot, SealedValue } from './stateSeal';

/** A custom key store: a PKCS#11 token that holds KMS keys. */
export interface CustomKeyStoreRow {
  id: string;
  name: string;
  /** The token, as an RFC 7512 PKCS#11 URI with its module-path. */
  tokenUri: string;
  /** AWS's CloudHsmClusterId, derived from the token's serial number. */
  clusterId: string;
  /** The token's user PIN, wrapped by the root key; null for the vault's own token, whose session the vault holds. */
  wrappedPin: Buffer | null;
  /** Whether the store should be connected (ConnectCustomKeyStore until DisconnectCustomKeyStore). */
  connected: 0 | 1;
  createdAt: number;
}

/** Where a KMS key made on a token lives: its store, and the CKA_ID of its object there. */
export interface TokenKeyRow {
  keyId: string;
  customKeyStoreId: string;
  objectId: Buffer;
}

const STORE_COLUMNS = 'id, name, token_uri AS tokenUri, cluster_id AS clusterId, wrapped_pin AS wrappedPin, connected, created_at AS createdAt, mac';

const storeValues = (row: CustomKeyStoreRow): SealedValue[] => [row.id, row.name, row.tokenUri, row.clusterId, row.wrappedPin, row.connected, row.createdAt];
const keyValues = (row: TokenKeyRow): SealedValue[] => [row.keyId, row.customKeyStoreId, row.objectId];

/**
 * Prepared statements over custom_key_stores and token_keys, sealed like
 * the key rows: which token a key's operations go to is authorization state
 * (TamperedVaultException on a changed row, while the vault is unlocked).
 */
export class CustomKeyStoresRepo {
  private readonly all;
  private readonly byId;
  private readonly insertStore;
  private readonly updateStore;
  private readonly deleteStore;
  private readonly keyRow;
  private readonly insertKey;
  private readonly keysInStore;

  constructor(
    db: Db,
    private readonly seal: SealSlot,
  ) {
    this.all = db.prepare<[], CustomKeyStoreRow & { mac: Buffer | null }>(`SELECT ${STORE_COLUMNS} FROM custom_key_stores ORDER BY created_at, id`);
    this.byId = db.prepare<[string], CustomKeyStoreRow & { mac: Buffer | null }>(`SELECT ${STORE_COLUMNS} FROM custom_key_stores WHERE id = ?`);
    this.insertStore = db.prepare('INSERT INTO custom_key_stores (id, name, token_uri, cluster_id, wrapped_pin, connected, created_at, mac) VALUES (@id, @name, @tokenUri, @clusterId, @wrappedPin, @connected, @createdAt, @mac)');
    this.updateStore = db.prepare('UPDATE custom_key_stores SET name = @name, token_uri = @tokenUri, cluster_id = @clusterId, wrapped_pin = @wrappedPin, connected = @connected, mac = @mac WHERE id = @id');
    this.deleteStore = db.prepare<[string]>('DELETE FROM custom_key_stores WHERE id = ?');
    this.keyRow = db.prepare<[string], TokenKeyRow & { mac: Buffer | null }>('SELECT key_id AS keyId, custom_key_store_id AS customKeyStoreId, object_id AS objectId, mac FROM token_keys WHERE key_id = ?');
    this.insertKey = db.prepare('INSERT INTO token_keys (key_id, custom_key_store_id, object_id, mac) VALUES (@keyId, @customKeyStoreId, @objectId, @mac)');
    this.keysInStore = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM token_keys WHERE custom_key_store_id = ?');
  }

  private checkedStore(stored: CustomKeyStoreRow & { mac: Buffer | null }): CustomKeyStoreRow {
    const { mac, ...row } = stored;
    this.seal.current?.check('custom_key_stores', storeValues(row), mac, `the row of custom key store ${row.id}`);
    return row;
  }

  /** Every store, oldest first. */
  list(): CustomKeyStoreRow[] {
    return this.all.all().map((stored) => this.checkedStore(stored));
  }

  get(id: string): CustomKeyStoreRow | undefined {
    const stored = this.byId.get(id);
    return stored === undefined ? undefined : this.checkedStore(stored);
  }

  insert(row: CustomKeyStoreRow): void {
    this.insertStore.run({ ...row, mac: this.seal.required().mac('custom_key_stores', storeValues(row)) });
  }

  update(row: CustomKeyStoreRow): void {
    this.updateStore.run({ ...row, mac: this.seal.required().mac('custom_key_stores', storeValues(row)) });
  }

  delete(id: string): void {
    this.deleteStore.run(id);
  }

  /** Where a key made on a token lives; undefined for a key whose material is in the vault. */
  tokenKey(keyId: string): TokenKeyRow | undefined {
    const stored = this.keyRow.get(keyId);
    if (stored === undefined) return undefined;
    const { mac, ...row } = stored;
    this.seal.current?.check('token_keys', keyValues(row), mac, `the token key row of key ${keyId}`);
    return row;
  }

  addTokenKey(row: TokenKeyRow): void {
    this.insertKey.run({ ...row, mac: this.seal.required().mac('token_keys', keyValues(row)) });
  }

  /** How many KMS keys live in a store. */
  keyCount(id: string): number {
    return this.keysInStore.get(id)?.n ?? 0;
  }
}
