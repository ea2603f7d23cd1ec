import { randomBytes } from 'node:crypto';
import { chmodSync, createReadStream, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { backupChunks, backupWrappingKey, type BackupManifest } from '../../backup/backupFile';
import { writeAtomically } from '../../envelope/atomicFile';
import { connect, type Db } from '../../vault/db';
import { RecoveryRepo } from '../../vault/recoveryRepo';
import { SealSlot } from '../../vault/stateSeal';
import { readVault } from '../../vault/vaultRepo';
import { readPassphraseKdf } from './userPin';
import type { Vault } from './vault';

/** The tables a manifest counts, by the name it gives them. */
const COUNTED = {
  Keys: 'keys',
  KeyVersions: 'key_versions',
  Aliases: 'aliases',
  Tags: 'tags',
  KeyPolicies: 'key_policies',
  Grants: 'grants',
  Users: 'iam_users',
  AccessKeys: 'iam_access_keys',
  Contacts: 'contacts',
  AgeIdentities: 'age_identities',
  CustomKeyStores: 'custom_key_stores',
  AuditRecords: 'audit',
  AuditCheckpoints: 'audit_checkpoints',
} as const;

/** The manifest of a snapshot of the vault's database: what it holds, and the two ways back to its root key (the token, the recovery split). */
function describeSnapshot(db: Db, backupDate: Date): BackupManifest {
  const vault = readVault(db);
  if (vault === undefined) throw new Error('describeSnapshot: the snapshot holds no vault record');
  const count = (table: string): number => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const kdf = readPassphraseKdf(db);
  const split = new RecoveryRepo(db, new SealSlot()).get(); // checked at unlock, and by the restore, which opens it
  return {
    Format: 1,
    VaultId: vault.vaultId,
    AccountId: vault.accountId,
    Region: vault.region,
    VaultCreationDate: new Date(vault.createdAt).toISOString(),
    BackupDate: backupDate.toISOString(),
    SchemaVersion: db.pragma('user_version', { simple: true }) as number,
    Counts: Object.fromEntries(Object.entries(COUNTED).map(([name, table]) => [name, count(table)])),
    NewestCheckpoint: (db.prepare('SELECT max(number) FROM audit_checkpoints').pluck().get() as number | null) ?? 0,
    Token: {
      Kind: vault.tokenKind,
      Module: vault.modulePath,
      Label: vault.tokenLabel,
      Serial: vault.tokenSerial,
      RootMechanism: vault.rootMechanism,
      RootObjectId: vault.rootObjectId.toString('hex'),
      RootWrapped: vault.rootWrapped.toString('base64'),
      ...(kdf === undefined ? {} : { PassphraseKdf: { algorithm: kdf.algorithm, memoryKiB: kdf.memoryKiB, passes: kdf.passes, parallelism: kdf.parallelism, salt: kdf.salt } }),
    },
    ...(split === undefined ? {} : { RecoverySplit: { SplitId: split.splitId, Threshold: split.threshold, Custodians: split.custodians, WrappedRoot: split.wrappedRoot.toString('base64') } }),
  };
}

/** What a backup wrote. */
export interface BackupResult {
  File: string;
  Bytes: number;
  Manifest: BackupManifest;
}

/**
 * Backs up the unlocked vault to `out`: SQLite's online backup copies the
 * database (keys with every version, aliases, tags, policies, grants,
 * users, contacts, identities, the audit log and its checkpoints) to a
 * private file in the vault's home, which is encrypted to `out` through a
 * temporary file renamed only once complete, then removed. The backup, or
 * its failure, is recorded.
 */
export async function createBackup(vault: Vault, out: string, replace: boolean): Promise<BackupResult> {
  const request = { file: out };
  const wrappingKey = vault.use(({ rootKey }) => backupWrappingKey(rootKey.value, vault.record.vaultId));
  const snapshot = join(vault.files.home, `.backup-${randomBytes(6).toString('hex')}.sqlite`);
  try {
    vault.audit.flush(); // what was done before the backup is in it
    await vault.db.backup(snapshot);
    chmodSync(snapshot, 0o600);
    const db = connect(snapshot);
    let manifest: BackupManifest;
    try {
      db.pragma('journal_mode = DELETE'); // one file, restored as it is
      manifest = describeSnapshot(db, new Date());
    } finally {
      db.close();
    }
    await writeAtomically(out, backupChunks(manifest, wrappingKey, createReadStream(snapshot)), replace);
    const result = { File: out, Bytes: statSync(out).size, Manifest: manifest };
    vault.recordVaultEvent('CreateBackup', { ...request, backupDate: manifest.BackupDate, auditRecords: String(manifest.Counts.AuditRecords ?? 0) });
    return result;
  } catch (error) {
    vault.recordVaultEvent('CreateBackup', request, error);
    throw error;
  } finally {
    wrappingKey.fill(0);
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(snapshot + suffix, { force: true });
  }
}
