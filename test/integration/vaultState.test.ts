// Someone who can write the vault's directory but does not know the PIN
// edits the SQLite file to change what the vault allows. Each edit must be
// caught at the next unlock, or when the row is next loaded, and recorded.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openVault } from '../../src-main/bootstrap';
import { auditPage } from '../../src-main/audit/page';
import { embeddedTokenPaths } from '../../src-main/hsm/embedded';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { b64, call, errorText, failure, newKey } from '../helpers/kms';
import { pkcs11Tool } from '../helpers/softhsm';
import { embeddedTokenPin, makeVault, PIN } from '../helpers/vault';

let open: Vault | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

/** Runs one statement on the vault file through a connection of its own, as an attacker with write access would. */
function edit(home: string, sql: string, ...params: unknown[]): void {
  const db = new Database(vaultFiles(home).db);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** An unlocked vault with one Enabled and one Disabled key. */
function vaultWithKeys(): { home: string; vault: Vault; enabled: string; disabled: string } {
  const { home, vault } = makeVault();
  open = vault;
  vault.unlock(PIN);
  const enabled = newKey(vault, 'enabled');
  const disabled = newKey(vault, 'disabled');
  call(vault, 'DisableKey', { KeyId: disabled });
  return { home, vault, enabled, disabled };
}

/** The newest audit records named `eventName`, newest first, as [errorCode, requestParameters]. */
function recorded(vault: Vault, eventName: string): [unknown, unknown][] {
  vault.audit.flush();
  return auditPage(vault.db, { limit: 10, eventName }).records.map((r) => [r.errorCode, r.requestParameters]);
}

const encrypt = (vault: Vault, keyId: string): string => failure(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('payroll') });

describe("the vault's state is sealed under its root key", () => {
  it('refuses to unlock after a disabled key was set to Enabled in the file, and records it', () => {
    const { home, vault, disabled } = vaultWithKeys();
    vault.lock();
    edit(home, "UPDATE keys SET key_state = 'Enabled' WHERE key_id = ?", disabled);
    expect(errorText(() => { vault.unlock(PIN); })).toMatch(
      new RegExp(`^TamperedVaultException: The vault file was changed outside Strongroom: the row of key ${disabled} .*`),
    );
    expect(vault.isUnlocked).toBe(false);
    expect(recorded(vault, 'Unlock')[0]?.[0]).toBe('TamperedVaultException');
  });

  it('locks when a row changed in the file while unlocked is next used, and records why', () => {
    const { home, vault, disabled } = vaultWithKeys();
    edit(home, "UPDATE keys SET key_state = 'Enabled' WHERE key_id = ?", disabled);
    expect(encrypt(vault, disabled)).toMatch(/^TamperedVaultException: .*key .*The vault is locked/);
    expect(vault.isUnlocked).toBe(false);
    expect(vault.status().LockReason).toMatch(/changed outside Strongroom/);
    expect(recorded(vault, 'Encrypt')[0]?.[0]).toBe('TamperedVaultException');
    expect(recorded(vault, 'Lock')[0]).toEqual([undefined, { reason: 'tampered' }]);
  });

  it('checks a key when it enters the cache, not at every call; a change made later is caught at the next unlock', () => {
    const { home, vault, enabled } = vaultWithKeys();
    expect(encrypt(vault, enabled)).toBe('no error'); // row and backing key now cached, their seals checked
    edit(home, "UPDATE keys SET key_state = 'Disabled' WHERE key_id = ?", enabled);
    edit(home, "UPDATE key_versions SET material_id = ? WHERE key_id = ?", 'cd'.repeat(32), enabled);
    expect(encrypt(vault, enabled)).toBe('no error'); // the cached rows are the sealed ones; the file is not read again
    vault.lock();
    expect(errorText(() => { vault.unlock(PIN); })).toMatch(new RegExp(`^TamperedVaultException: .*key ${enabled}`));
  });

  it('locks once a change call that found a changed row has unwound, and records both', async () => {
    const { home, vault, disabled } = vaultWithKeys();
    edit(home, "UPDATE keys SET description = 'moved' WHERE key_id = ?", disabled);
    expect(failure(vault, 'EnableKey', { KeyId: disabled })).toMatch(/^TamperedVaultException/);
    await Promise.resolve(); // the lock waits for the call's transaction to end
    expect(vault.isUnlocked).toBe(false);
    expect(recorded(vault, 'EnableKey')[0]?.[0]).toBe('TamperedVaultException');
    expect(recorded(vault, 'Lock')[0]).toEqual([undefined, { reason: 'tampered' }]);
  });

  it('refuses to set auto-lock while locked, for it could not be sealed', () => {
    const { vault } = vaultWithKeys();
    vault.lock();
    expect(errorText(() => { vault.setAutoLockSeconds(0); })).toMatch(/^VaultLockedException/);
  });

  it('detects auto-lock set to 0, or its setting removed, in the file', () => {
    const { home, vault } = vaultWithKeys();
    vault.setAutoLockSeconds(600);
    vault.lock();
    for (const sql of ["UPDATE settings SET value = '0' WHERE name = 'auto_lock_seconds'", "DELETE FROM settings WHERE name = 'auto_lock_seconds'"]) {
      edit(home, sql);
      expect(errorText(() => { vault.unlock(PIN); })).toMatch(/^TamperedVaultException: The vault file was changed outside Strongroom: the vault record or its settings/);
      expect(vault.isUnlocked).toBe(false);
      edit(home, "INSERT INTO settings (name, value) VALUES ('auto_lock_seconds', '600') ON CONFLICT (name) DO UPDATE SET value = excluded.value");
      vault.unlock(PIN);
      expect(vault.autoLockSeconds).toBe(600);
      vault.lock();
    }
  });

  it("detects a change to a key's usage, spec, deletion date, rotation or versions, and to a key version's material", () => {
    const { home, vault, enabled } = vaultWithKeys();
    call(vault, 'RotateKeyOnDemand', { KeyId: enabled });
    vault.lock();
    const edits: [string, string, unknown][] = [
      ['keys', 'key_usage', 'SIGN_VERIFY'],
      ['keys', 'key_spec', 'HMAC_256'],
      ['keys', 'deletion_date', 1],
      ['keys', 'rotation_period_days', 90],
      ['keys', 'current_version', 1],
      ['keys', 'origin', 'EXTERNAL'],
      ['key_versions', 'material_id', 'ab'.repeat(32)],
      ['key_versions', 'created_at', 0],
    ];
    for (const [table, column, value] of edits) {
      const db = new Database(vaultFiles(home).db);
      const where = table === 'keys' ? 'key_id = ?' : 'key_id = ? AND version = 2';
      const before = db.prepare(`SELECT ${column} AS v FROM ${table} WHERE ${where}`).get(enabled) as { v: unknown };
      db.close();
      edit(home, `UPDATE ${table} SET ${column} = ? WHERE ${where}`, value, enabled);
      expect({ column, error: errorText(() => { vault.unlock(PIN); }) }).toEqual({ column, error: expect.stringMatching(`^TamperedVaultException: .*key ${enabled}`) as unknown });
      edit(home, `UPDATE ${table} SET ${column} = ? WHERE ${where}`, before.v, enabled);
    }
    vault.unlock(PIN);
    expect(encrypt(vault, enabled)).toBe('no error');
  });

  it('detects a change to the vault record (its region, its creation date)', () => {
    const { home, vault } = vaultWithKeys();
    vault.close();
    open = undefined;
    for (const [column, value] of [['region', 'eu-west-1'], ['created_at', 1]] as const) {
      edit(home, `UPDATE vault SET ${column} = ?`, value);
      const reopened = openVault(home, 'app');
      expect(errorText(() => { reopened.unlock(PIN); })).toMatch(/^TamperedVaultException: .*the vault record or its settings/);
      reopened.close();
    }
  });

  it('does not flag the changes Strongroom makes itself, across a restart', () => {
    const { home, vault, enabled, disabled } = vaultWithKeys();
    call(vault, 'EnableKey', { KeyId: disabled });
    call(vault, 'EnableKeyRotation', { KeyId: enabled, RotationPeriodInDays: 90 });
    call(vault, 'RotateKeyOnDemand', { KeyId: enabled });
    call(vault, 'UpdateKeyDescription', { KeyId: enabled, Description: 'renamed' });
    call(vault, 'ScheduleKeyDeletion', { KeyId: disabled, PendingWindowInDays: 7 });
    call(vault, 'CancelKeyDeletion', { KeyId: disabled });
    call(vault, 'DisableKeyRotation', { KeyId: enabled });
    call(vault, 'CreateAlias', { AliasName: 'alias/payroll', TargetKeyId: enabled });
    vault.setAutoLockSeconds(120);
    vault.close();
    const reopened = openVault(home, 'app');
    open = reopened;
    reopened.unlock(PIN);
    expect(reopened.autoLockSeconds).toBe(120);
    expect(encrypt(reopened, 'alias/payroll')).toBe('no error');
    expect(encrypt(reopened, disabled)).toMatch(/^DisabledException/);
  });

  it('refuses a vault whose seals were removed, when its token keeps an audit checkpoint (so it was sealed before)', () => {
    const { home, vault, disabled } = vaultWithKeys();
    vault.close();
    open = undefined;
    for (const table of ['vault', 'keys', 'key_versions']) edit(home, `UPDATE ${table} SET mac = NULL`);
    edit(home, "UPDATE keys SET key_state = 'Enabled' WHERE key_id = ?", disabled);
    const reopened = openVault(home, 'app');
    open = reopened;
    expect(errorText(() => { reopened.unlock(PIN); })).toMatch(/^TamperedVaultException: The vault file was changed outside Strongroom: the vault record has lost its seal/);
    expect(recorded(reopened, 'SealVaultState')).toEqual([]);
  });

  it('seals a vault from before sealing at its first unlock, records it, and catches edits from then on', () => {
    const { home, vault, disabled } = vaultWithKeys();
    const tokenPin = embeddedTokenPin(vault);
    const vaultId = vault.status().VaultId;
    vault.close();
    open = undefined;
    // What a vault from before seals and audit checkpoints looks like: no seals, no checkpoint on its token.
    for (const table of ['vault', 'keys', 'key_versions']) edit(home, `UPDATE ${table} SET mac = NULL`);
    const conf = embeddedTokenPaths(home).conf;
    expect(pkcs11Tool(conf, ['--login', '--pin', tokenPin, '--delete-object', '--type', 'data', '--label', `strongroom audit checkpoint ${vaultId}`]).status).toBe(0);
    const upgraded = openVault(home, 'app');
    open = upgraded;
    upgraded.unlock(PIN);
    expect(recorded(upgraded, 'SealVaultState').map(([errorCode]) => errorCode)).toEqual([undefined]);
    expect(encrypt(upgraded, disabled)).toMatch(/^DisabledException/);
    upgraded.lock();
    edit(home, "UPDATE keys SET key_state = 'Enabled' WHERE key_id = ?", disabled);
    expect(errorText(() => { upgraded.unlock(PIN); })).toMatch(/^TamperedVaultException/);
    // Once sealed, a row without a seal is as suspect as a row with a wrong one.
    edit(home, "UPDATE keys SET key_state = 'Disabled', mac = NULL WHERE key_id = ?", disabled);
    expect(errorText(() => { upgraded.unlock(PIN); })).toMatch(/^TamperedVaultException/);
  });
});
