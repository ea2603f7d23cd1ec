import { describe, expect, it, vi } from 'vitest';
import { keyPage, type KeyListRow } from '../../src-main/kms/engine/keyPage';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { accountRoot } from '../../src-main/bootstrap';
import { invoke } from '../../src-main/kms/pipeline/invoke';
import { KEY_SORTS, type KeySortBy } from '../../src-main/vault/keyListQuery';
import { EXTENSIONS } from '../../src-shared/kms/extensions';
import { call, errorText, newKey } from '../helpers/kms';
import { freshVaultForEachTest } from '../helpers/vault';

let vault: Vault;
freshVaultForEachTest((fresh) => {
  vault = fresh;
});

type Query = Parameters<typeof keyPage>[1];

/** Every key of the list in `query`'s order, walked `size` keys a page, following the markers. */
function walk(query: Query, size: number): KeyListRow[] {
  const rows: KeyListRow[] = [];
  let marker: string | undefined;
  do {
    const page = keyPage(vault.store, query, size, marker);
    expect(page.keys.length).toBeLessThanOrEqual(size);
    rows.push(...page.keys);
    marker = page.nextMarker;
  } while (marker !== undefined);
  return rows;
}

/** SQLite's orders, written out: text sorts compare case-insensitively (ASCII, as COLLATE NOCASE), then by key id; keys without aliases come last. */
function expectedOrder(rows: KeyListRow[], sortBy: KeySortBy, descending: boolean): string[] {
  const value = (row: KeyListRow): string | number =>
    sortBy === 'created' ? row.CreationDate : sortBy === 'state' ? row.KeyState : sortBy === 'description' ? row.Description.toLowerCase() : (row.Aliases[0] ?? '');
  const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  const sign = descending ? -1 : 1;
  return [...rows]
    .sort((a, b) => {
      if (sortBy === 'alias' && (a.Aliases.length === 0) !== (b.Aliases.length === 0)) return a.Aliases.length === 0 ? 1 : -1;
      return sign * (compare(value(a), value(b)) || compare(a.KeyId, b.KeyId));
    })
    .map((row) => row.KeyId);
}

/** A vault with keys that tie and differ in every sorted column: equal and empty descriptions differing in case, several states, keys with two aliases, one and none. */
function varietyOfKeys(): string[] {
  const descriptions = ['payroll', 'Payroll', 'archive', '', 'zebra', 'Backups', '', 'payroll', 'ledger', 'Mail', 'mail', 'x'];
  const ids = descriptions.map((description) => newKey(vault, description));
  const at = (i: number) => ids[i] ?? '';
  call(vault, 'CreateAlias', { AliasName: 'alias/m/two', TargetKeyId: at(0) });
  call(vault, 'CreateAlias', { AliasName: 'alias/b/first', TargetKeyId: at(0) });
  call(vault, 'CreateAlias', { AliasName: 'alias/Z', TargetKeyId: at(3) });
  call(vault, 'CreateAlias', { AliasName: 'alias/a', TargetKeyId: at(5) });
  call(vault, 'CreateAlias', { AliasName: 'alias/c', TargetKeyId: at(9) });
  call(vault, 'DisableKey', { KeyId: at(1) });
  call(vault, 'DisableKey', { KeyId: at(6) });
  call(vault, 'ScheduleKeyDeletion', { KeyId: at(2), PendingWindowInDays: 7 });
  call(vault, 'ScheduleKeyDeletion', { KeyId: at(10), PendingWindowInDays: 30 });
  return ids;
}

describe("the interface's key list", () => {
  it('filters by text (id, description, alias), state and tag, in SQL, and pages', () => {
    const payroll = newKey(vault, 'Payroll exports');
    const backups = newKey(vault, 'nightly backups');
    const other = newKey(vault, 'other');
    call(vault, 'CreateAlias', { AliasName: 'alias/finance/ledger', TargetKeyId: other });
    call(vault, 'TagResource', { KeyId: backups, Tags: [{ TagKey: 'team', TagValue: 'ops' }] });
    call(vault, 'DisableKey', { KeyId: backups });
    const ids = (filter: Query) => keyPage(vault.store, filter, 50).keys.map((k) => k.KeyId);
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

  it('sorts by alias, description, state or creation, either way, and pages through every key once in that order', () => {
    const ids = varietyOfKeys();
    const everything = keyPage(vault.store, {}, 500).keys;
    expect(everything.map((k) => k.KeyId).sort()).toEqual([...ids].sort());
    expect(everything.find((k) => k.KeyId === ids[0])?.Aliases).toEqual(['alias/b/first', 'alias/m/two']);
    for (const sortBy of KEY_SORTS) {
      for (const descending of [false, true]) {
        const expected = expectedOrder(everything, sortBy, descending);
        for (const size of [1, 3, 5, 500]) {
          expect({ sortBy, descending, size, order: walk({ sortBy, descending }, size).map((k) => k.KeyId) }).toEqual({ sortBy, descending, size, order: expected });
        }
        expect(walk({ sortBy, descending, text: 'payroll' }, 2).map((k) => k.KeyId)).toEqual(
          expectedOrder(everything.filter((k) => k.Description.toLowerCase().includes('payroll')), sortBy, descending),
        );
        expect(walk({ sortBy, descending, state: 'Disabled' }, 1).map((k) => k.KeyId)).toEqual(expectedOrder(everything.filter((k) => k.KeyState === 'Disabled'), sortBy, descending));
      }
    }
  });

  it('puts the keys without aliases after those with, in both directions', () => {
    const ids = varietyOfKeys();
    const aliased = new Set([ids[0], ids[3], ids[5], ids[9]]);
    for (const descending of [false, true]) {
      const order = walk({ sortBy: 'alias', descending }, 2).map((k) => aliased.has(k.KeyId));
      expect(order).toEqual([true, true, true, true, false, false, false, false, false, false, false, false]);
    }
    expect(walk({ sortBy: 'alias' }, 2).slice(0, 4).map((k) => k.Aliases[0])).toEqual(['alias/Z', 'alias/a', 'alias/b/first', 'alias/c']);
  });

  it('gives the deletion date of a key pending deletion, and none for other keys', () => {
    const ids = varietyOfKeys();
    const rows = keyPage(vault.store, {}, 500).keys;
    for (const row of rows) {
      const { DeletionDate } = call(vault, 'DescribeKey', { KeyId: row.KeyId }).KeyMetadata ?? {};
      expect({ id: row.KeyId, date: row.DeletionDate }).toEqual({ id: row.KeyId, date: row.KeyState === 'PendingDeletion' ? DeletionDate : undefined });
    }
    expect(rows.filter((k) => k.DeletionDate !== undefined).map((k) => k.KeyId).sort()).toEqual([ids[2], ids[10]].sort());
    const output = EXTENSIONS.ListKeyDetails.output.parse(invoke(vault, accountRoot(vault, 'app'), 'ListKeyDetails', { limit: 50, state: 'PendingDeletion' }));
    expect(output.keys.every((k) => typeof k.DeletionDate === 'number' && k.DeletionDate > Date.now() / 1000)).toBe(true);
  });

  it('refuses a marker of another sort or direction, and a tampered one', () => {
    varietyOfKeys();
    const byAlias = keyPage(vault.store, { sortBy: 'alias' }, 2).nextMarker;
    expect(byAlias).toBeDefined();
    const ask = (query: Query, marker: string) => errorText(() => keyPage(vault.store, query, 2, marker));
    expect(ask({ sortBy: 'description' }, byAlias ?? '')).toMatch(/^ValidationException: The marker belongs to the list sorted by alias/);
    expect(ask({ sortBy: 'alias', descending: true }, byAlias ?? '')).toMatch(/^ValidationException: .*sorted by alias, not/);
    expect(ask({}, byAlias ?? '')).toMatch(/^ValidationException/);
    const decoded = JSON.parse(Buffer.from(byAlias ?? '', 'base64url').toString('utf8')) as [string, unknown[]];
    const forged = (position: unknown[]) => Buffer.from(JSON.stringify([decoded[0], position])).toString('base64url');
    expect(ask({ sortBy: 'created' }, forged(['created', false, 'not a time', 'k']))).toMatch(/^InvalidMarkerException/);
    expect(ask({ sortBy: 'state' }, forged(['state', false, null, 'k']))).toMatch(/^InvalidMarkerException/);
    expect(ask({ sortBy: 'alias' }, forged(['name', false, 'alias/a', 'k']))).toMatch(/^InvalidMarkerException/);
    expect(ask({ sortBy: 'alias' }, forged(['alias', 'no', 'alias/a', 'k']))).toMatch(/^InvalidMarkerException/);
    expect(ask({ sortBy: 'alias' }, `${byAlias ?? ''}x`)).toMatch(/^InvalidMarkerException/);
    const viaCore = errorText(() => invoke(vault, accountRoot(vault, 'app'), 'ListKeyDetails', { limit: 2, sortBy: 'state', marker: byAlias }));
    expect(viaCore).toMatch(/^ValidationException/);
  });

  it('walks an index for every sort and direction: no query sorts the whole table', () => {
    varietyOfKeys();
    const prepare = vi.spyOn(vault.store.db, 'prepare');
    for (const sortBy of KEY_SORTS) {
      for (const descending of [false, true]) {
        const first = keyPage(vault.store, { sortBy, descending }, 2);
        keyPage(vault.store, { sortBy, descending }, 2, first.nextMarker);
      }
    }
    const listQueries = prepare.mock.calls.map(([sql]) => sql).filter((sql) => sql.includes('sortValue'));
    prepare.mockRestore();
    expect(listQueries.length).toBeGreaterThanOrEqual(KEY_SORTS.length * 4);
    const params = { state: null, text: null, tagKey: null, tagValue: null, value: 'x', keyId: 'k', limit: 2 };
    for (const sql of listQueries) {
      const plan = (vault.store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((step) => step.detail);
      expect({ sql, plan }).toEqual({ sql, plan: expect.not.arrayContaining([expect.stringMatching(/TEMP B-TREE|^SCAN keys$/)]) as unknown });
    }
  });
});
