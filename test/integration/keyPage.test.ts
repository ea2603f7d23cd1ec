import { describe, expect, it } from 'vitest';
import { keyPage } from '../../src-main/kms/engine/keyPage';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { call, newKey } from '../helpers/kms';
import { freshVaultForEachTest } from '../helpers/vault';

let vault: Vault;
freshVaultForEachTest((fresh) => {
  vault = fresh;
});

describe("the interface's key list", () => {
  it('filters by text (id, description, alias), state and tag, in SQL, and pages', () => {
    const payroll = newKey(vault, 'Payroll exports');
    const backups = newKey(vault, 'nightly backups');
    const other = newKey(vault, 'other');
    call(vault, 'CreateAlias', { AliasName: 'alias/finance/ledger', TargetKeyId: other });
    call(vault, 'TagResource', { KeyId: backups, Tags: [{ TagKey: 'team', TagValue: 'ops' }] });
    call(vault, 'DisableKey', { KeyId: backups });
    const ids = (filter: Parameters<typeof keyPage>[1]) => keyPage(vault.store, filter, 50).keys.map((k) => k.KeyId);
    expect(ids({ text: 'PAYROLL' })).toEqual([payroll]);
    expect(ids({ text: 'ledger' })).toEqual([other]);
    expect(ids({ text: other.slice(0, 8) })).toEqual([other]);
    expect(ids({ state: 'Disabled' })).toEqual([backups]);
    expect(ids({ tag: 'team' })).toEqual([backups]);
    expect(ids({ tag: 'team=ops' })).toEqual([backups]);
    expect(ids({ tag: 'team=dev' })).toEqual([]);
    expect(keyPage(vault.store, { text: 'ledger' }, 50).keys[0]).toMatchObject({ Aliases: ['alias/finance/ledger'], Description: 'other', KeyState: 'Enabled' });
    const first = keyPage(vault.store, {}, 2);
    const second = keyPage(vault.store, {}, 2, first.nextMarker);
    expect([...first.keys, ...second.keys].map((k) => k.KeyId).sort()).toEqual([payroll, backups, other].sort());
    expect(second.nextMarker).toBeUndefined();
    expect(() => keyPage(vault.store, {}, 2, 'bogus')).toThrow(/marker/);
  });
});
