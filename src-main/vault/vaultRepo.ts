import type { Db } from './db';
import type { RootMechanism } from '../../src-shared/vault';

/** The vault's identity, token and sealed root key, as stored. */
export interface VaultRecord {
  vaultId: string;
  accountId: string;
  region: string;
  createdAt: number;
  tokenKind: 'embedded' | 'external';
  modulePath: string | null;
  tokenLabel: string;
  tokenSerial: string;
  rootMechanism: RootMechanism;
  rootObjectId: Buffer;
  rootWrapped: Buffer;
}

interface Row {
  vault_id: string;
  account_id: string;
  region: string;
  created_at: number;
  token_kind: 'embedded' | 'external';
  module_path: string | null;
  token_label: string;
  token_serial: string;
  root_mechanism: RootMechanism;
  root_object_id: Buffer;
  root_wrapped: Buffer;
}

/** The region and account the vault's ARNs and audit events name; placeholders for a file with no vault record. */
export function vaultOwner(db: Db): { region: string; accountId: string } {
  const vault = readVault(db);
  return { region: vault?.region ?? 'local', accountId: vault?.accountId ?? '000000000000' };
}

/** The vault record, or undefined for a vault file that was never initialized. */
export function readVault(db: Db): VaultRecord | undefined {
  const row = db.prepare('SELECT * FROM vault WHERE singleton = 1').get() as Row | undefined;
  if (row === undefined) return undefined;
  return {
    vaultId: row.vault_id,
    accountId: row.account_id,
    region: row.region,
    createdAt: row.created_at,
    tokenKind: row.token_kind,
    modulePath: row.module_path,
    tokenLabel: row.token_label,
    tokenSerial: row.token_serial,
    rootMechanism: row.root_mechanism,
    rootObjectId: row.root_object_id,
    rootWrapped: row.root_wrapped,
  };
}

/** Writes the vault record; fails if one exists. */
export function insertVault(db: Db, record: VaultRecord): void {
  db.prepare(
    `INSERT INTO vault (singleton, vault_id, account_id, region, created_at, token_kind, module_path, token_label, token_serial, root_mechanism, root_object_id, root_wrapped)
     VALUES (1, @vaultId, @accountId, @region, @createdAt, @tokenKind, @modulePath, @tokenLabel, @tokenSerial, @rootMechanism, @rootObjectId, @rootWrapped)`,
  ).run(record);
}

/** Points the vault record at another token and the root key sealed there. */
export function updateVaultToken(db: Db, token: Pick<VaultRecord, 'tokenKind' | 'modulePath' | 'tokenLabel' | 'tokenSerial' | 'rootMechanism' | 'rootObjectId' | 'rootWrapped'>): void {
  db.prepare(
    `UPDATE vault SET token_kind = @tokenKind, module_path = @modulePath, token_label = @tokenLabel, token_serial = @tokenSerial,
       root_mechanism = @rootMechanism, root_object_id = @rootObjectId, root_wrapped = @rootWrapped WHERE singleton = 1`,
  ).run(token);
}

/** A setting's stored value, or undefined. */
export function readSetting(db: Db, name: string): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE name = ?').get(name) as { value: string } | undefined;
  return row?.value;
}

/** Stores a setting, replacing any earlier value. */
export function writeSetting(db: Db, name: string, value: string): void {
  db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
}

export function deleteSetting(db: Db, name: string): void {
  db.prepare('DELETE FROM settings WHERE name = ?').run(name);
}

/** The seal over the vault record and its settings, or null for a vault not sealed yet. */
export function readVaultMac(db: Db): Buffer | null {
  const row = db.prepare('SELECT mac FROM vault WHERE singleton = 1').get() as { mac: Buffer | null } | undefined;
  return row?.mac ?? null;
}

export function writeVaultMac(db: Db, mac: Buffer): void {
  db.prepare('UPDATE vault SET mac = ? WHERE singleton = 1').run(mac);
}
