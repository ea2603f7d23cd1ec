import { readTokenCheckpoints } from '../../hsm/auditKey';
import type { TokenSession } from '../../hsm/token';
import type { Db } from '../../vault/db';
import { StateSeal, tampered, type SealedValue } from '../../vault/stateSeal';
import { readSetting, readVaultMac, writeSetting, writeVaultMac, type VaultRecord } from '../../vault/vaultRepo';
import type { KeyStore } from '../engine/keyStore';

/**
 * The settings whose change alters what the vault allows, sealed with the
 * vault record. Notes the vault writes while locked (why it last locked) are
 * not among them: nothing can seal them then.
 */
export const SEALED_SETTINGS = ['auto_lock_seconds'] as const;

/**
 * Sealed settings that vaults made before them lack: each is sealed (as
 * name=value) once written, so one removed afterwards breaks the seal, and
 * a vault that never had it keeps its old seal.
 */
const LATER_SEALED_SETTINGS = ['key_policies'] as const;

type SealedSetting = (typeof SEALED_SETTINGS)[number] | (typeof LATER_SEALED_SETTINGS)[number];

/** The vault record's columns and the sealed settings (absent ones as null), in the order the seal covers them. */
function recordValues(db: Db, record: VaultRecord): SealedValue[] {
  return [
    record.vaultId, record.accountId, record.region, record.createdAt, record.tokenKind, record.modulePath, record.tokenLabel,
    record.tokenSerial, record.rootMechanism, record.rootObjectId, record.rootWrapped,
    ...SEALED_SETTINGS.map((name) => readSetting(db, name) ?? null),
    ...LATER_SEALED_SETTINGS.flatMap((name) => {
      const value = readSetting(db, name);
      return value === undefined ? [] : [`${name}=${value}`];
    }),
  ];
}

/** Seals the vault record and its settings as `db` holds them. */
export function sealVaultRecord(db: Db, seal: StateSeal, record: VaultRecord): void {
  writeVaultMac(db, seal.mac('vault', recordValues(db, record)));
}

/** Throws TamperedVaultException unless the vault record and its settings carry their seal under `seal` (the root key is this vault's). */
export function checkVaultRecord(db: Db, seal: StateSeal, record: VaultRecord): void {
  seal.check('vault', recordValues(db, record), readVaultMac(db), 'the vault record or its settings');
}

/**
 * At unlock: derives the seal key from the root key and checks the seal of
 * the vault record (as this process read it), its settings, every key and
 * every key version; TamperedVaultException names the first row that fails.
 * A vault with no seal yet (made before seals) is sealed as it is, and true
 * returned, unless its token already keeps an audit checkpoint for it: a
 * version with seals has had it, so its seals were removed. Afterwards the
 * key store checks rows it loads and seals rows it writes with it, until
 * {@link KeyStore.useSeal} is given undefined.
 */
export function openSealedState(db: Db, store: KeyStore, record: VaultRecord, rootKey: Buffer, session: TokenSession): boolean {
  const seal = StateSeal.derive(rootKey, record.vaultId);
  store.useSeal(seal);
  try {
    const stored = readVaultMac(db);
    if (stored === null) {
      if (readTokenCheckpoints(session, record.vaultId).length > 0) throw tampered('the vault record', 'has lost its seal (its token keeps an audit checkpoint, so the vault was sealed before)');
      db.transaction(() => {
        sealVaultRecord(db, seal, record);
        store.keys.sealAll();
        store.versions.sealAll();
        givePolicies(db, store, record);
      })();
      return true;
    }
    checkVaultRecord(db, seal, record);
    store.keys.checkAll();
    store.versions.checkAll();
    if (readSetting(db, 'key_policies') === undefined) db.transaction(() => { givePolicies(db, store, record); })();
    return false;
  } catch (error) {
    store.useSeal(undefined);
    throw error;
  }
}

/**
 * Gives each key of a vault made before key policies the default one, and
 * records (sealed) that every key has a policy: from then on a key without
 * one has lost it.
 */
function givePolicies(db: Db, store: KeyStore, record: VaultRecord): void {
  store.policies.fillMissing(store.defaultPolicy);
  writeSealedSetting(db, store, record, 'key_policies', '1');
}

/** Stores a sealed setting and seals the vault record again; only while unlocked (VaultLockedException otherwise). Call it inside the transaction that records the change. */
export function writeSealedSetting(db: Db, store: KeyStore, record: VaultRecord, name: SealedSetting, value: string): void {
  const seal = store.seal.required();
  writeSetting(db, name, value);
  sealVaultRecord(db, seal, record);
}
