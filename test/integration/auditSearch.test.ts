// LookupEvents' filters on a log of a few hundred records, each filter and
// combinations of them checked against the same filter applied by hand to
// the whole log, page by page; and the search tables (migration 0006) held
// to the records by verify, so that editing them cannot hide a record.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainHash } from '../../src-main/audit/auditWriter.cjs';
import { verifyAuditLog } from '../../src-main/audit/verify';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { openVault } from '../../src-main/bootstrap';
import { openDatabase } from '../../src-main/vault/db';
import { MIGRATIONS } from '../../src-main/vault/migrations';
import { tempDir } from '../helpers/temp';
import { invoke } from '../../src-main/kms/pipeline/invoke';
import type { Caller } from '../../src-shared/caller';
import { b64, call, failure, invokeAsRoot, newKey } from '../helpers/kms';
import { makeVault, PIN } from '../helpers/vault';

interface Event {
  eventName: string;
  eventTime: string;
  errorCode?: string;
  resources: { ARN: string }[];
  userIdentity: { arn?: string; type?: string };
  strongroomSequence: number;
}
type Filters = Record<string, string | number | boolean>;
interface Page {
  records: Event[];
  nextBeforeSequence?: number;
}

/** The calls the log files as cryptographic (CloudTrail's output does not tell them apart). */
const DATA_PLANE = new Set(['Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateRandom']);

/** Whether `filters` should find `event`, worked out by hand; `keyArn` is the ARN of the key the filter names. */
function matches(event: Event, filters: Filters, keyArn: string | undefined): boolean {
  const caller = (event.userIdentity.arn ?? event.userIdentity.type ?? 'AWSService').toLowerCase();
  const second = Date.parse(event.eventTime) / 1000;
  return (
    (filters.eventName === undefined || event.eventName.toLowerCase().startsWith(String(filters.eventName).toLowerCase())) &&
    (keyArn === undefined || event.resources.some((r) => r.ARN === keyArn)) &&
    (filters.principal === undefined || caller.includes(String(filters.principal).toLowerCase())) &&
    (filters.errorsOnly !== true || event.errorCode !== undefined) &&
    (filters.dataPlaneOnly !== true || DATA_PLANE.has(event.eventName)) &&
    (filters.startTime === undefined || second >= Number(filters.startTime)) &&
    (filters.endTime === undefined || second <= Number(filters.endTime))
  );
}

const lookup = (vault: Vault, request: Filters): Page => invokeAsRoot(vault, 'LookupEvents', request) as Page;

/** An unlocked vault whose log holds a few hundred records of three keys: outsiders' refused calls, failures, re-encryptions from one key to another. */
function filledVault(): { home: string; vault: Vault; keys: string[] } {
  const { home, vault } = makeVault();
  vault.unlock(PIN);
  const keys = [newKey(vault, 'one'), newKey(vault, 'two'), newKey(vault, 'three')];
  call(vault, 'CreateAlias', { AliasName: 'alias/two', TargetKeyId: keys[1] });
  const accountId = vault.record.accountId;
  const outsider = (name: string): Caller => ({ principal: { type: 'User', accountId, arn: `arn:aws:iam::${accountId}:user/${name}` }, door: 'host' });
  for (let i = 0; i < 300; i += 1) {
    const key = keys[i % 3] ?? '';
    if (i % 37 === 0) expect(failure(vault, 'Encrypt', { KeyId: 'alias/missing', Plaintext: b64('x') })).toMatch(/^NotFoundException/);
    else if (i % 23 === 0) expect(() => invoke(vault, outsider(i % 2 === 0 ? 'Ana' : 'Mallory'), 'GenerateDataKey', { KeyId: key, KeySpec: 'AES_256' })).toThrow(/is not authorized/);
    else if (i % 29 === 0) expect(() => invoke(vault, outsider('Mallory'), 'DescribeKey', { KeyId: key })).toThrow(/is not authorized/);
    else if (i % 11 === 0) {
      const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: key, Plaintext: b64('move me') });
      call(vault, 'ReEncrypt', { CiphertextBlob, DestinationKeyId: keys[(i + 1) % 3] });
    } else if (i % 5 === 0) call(vault, 'DescribeKey', { KeyId: key });
    else if (i % 7 === 0) call(vault, 'GenerateDataKey', { KeyId: key, KeySpec: 'AES_256' });
    else call(vault, 'Encrypt', { KeyId: key, Plaintext: b64(`n${String(i)}`) });
  }
  return { home, vault, keys };
}

describe('LookupEvents on a few hundred records', () => {
  let vault: Vault;
  let keys: string[];
  let everything: Event[];
  let newest: number;
  const arnOf = (keyId: string): string => call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata?.Arn ?? '';

  /** Every record `filters` finds from `before` back (LookupEvents adds records of its own after), seven a page. */
  function walk(filters: Filters, first = newest + 1): Event[] {
    const found: Event[] = [];
    for (let before: number | undefined = first; before !== undefined; ) {
      const page = lookup(vault, { limit: 7, beforeSequence: before, ...filters });
      expect(page.records.length).toBeLessThanOrEqual(7);
      found.push(...page.records);
      before = page.nextBeforeSequence;
    }
    return found;
  }

  beforeAll(() => {
    ({ vault, keys } = filledVault());
    newest = lookup(vault, { limit: 1 }).records[0]?.strongroomSequence ?? 0;
    everything = walk({});
  });
  afterAll(() => {
    vault.close();
  });

  it('walks the whole log unfiltered, newest first, each record once', () => {
    expect(everything.length).toBeGreaterThan(300);
    expect(everything.map((e) => e.strongroomSequence)).toEqual(Array.from({ length: newest }, (_, i) => newest - i));
  });

  it('finds exactly what each filter and each combination selects, across pages', () => {
    const times = everything.map((e) => Date.parse(e.eventTime) / 1000);
    const middle = times[Math.floor(times.length / 2)] ?? 0;
    const [one = '', two = '', three = ''] = keys;
    const cases: [Filters, string | undefined][] = [
      [{ eventName: 'enc' }, undefined],
      [{ eventName: 'REENCRYPT' }, undefined],
      [{ eventName: 'describe' }, undefined],
      [{ keyId: one }, one],
      [{ keyId: 'alias/two' }, two],
      [{ keyId: arnOf(three) }, three],
      [{ principal: 'mallory' }, undefined],
      [{ principal: 'USER/' }, undefined],
      [{ principal: ':root' }, undefined],
      [{ errorsOnly: true }, undefined],
      [{ dataPlaneOnly: true }, undefined],
      [{ startTime: middle }, undefined],
      [{ endTime: middle }, undefined],
      [{ startTime: middle, endTime: middle }, undefined],
      [{ keyId: one, errorsOnly: true }, one],
      [{ keyId: 'alias/two', eventName: 're' }, two],
      [{ keyId: three, dataPlaneOnly: true, eventName: 'generate' }, three],
      [{ principal: 'ana', errorsOnly: true, eventName: 'generatedata' }, undefined],
      [{ principal: 'mallory', keyId: two }, two],
      [{ errorsOnly: true, dataPlaneOnly: true, startTime: middle }, undefined],
      [{ errorsOnly: true, principal: 'root' }, undefined],
      [{ eventName: 'nothing-like-this' }, undefined],
    ];
    for (const [filters, keyId] of cases) {
      const keyArn = keyId === undefined ? undefined : arnOf(keyId);
      const expected = everything.filter((e) => matches(e, filters, keyArn)).map((e) => e.strongroomSequence);
      expect({ filters, found: walk(filters).map((e) => e.strongroomSequence) }).toEqual({ filters, found: expected });
    }
    // The combinations select something, or they would prove little.
    for (const filters of [{ keyId: one, errorsOnly: true }, { keyId: 'alias/two', eventName: 're' }, { principal: 'ana', errorsOnly: true, eventName: 'generatedata' }, { principal: 'mallory', keyId: two }]) {
      expect({ filters, found: walk(filters).length > 0 }).toEqual({ filters, found: true });
    }
  });
});

describe('the search tables', () => {
  /** A closed vault with a few hundred records of three keys. */
  function closedVault(): { home: string; keys: string[] } {
    const { home, vault, keys } = filledVault();
    vault.close();
    return { home, keys };
  }
  const withDb = <T>(home: string, use: (db: Database.Database) => T): T => {
    const db = new Database(vaultFiles(home).db);
    try {
      return use(db);
    } finally {
      db.close();
    }
  };
  const verify = (home: string): ReturnType<typeof verifyAuditLog> => withDb(home, (db) => verifyAuditLog(db));
  /** What LookupEvents finds with `filters`, once the vault is opened and unlocked again. */
  const found = (home: string, filters: Filters): Page => {
    const vault = openVault(home, 'app');
    try {
      vault.unlock(PIN);
      return lookup(vault, { limit: 500, ...filters });
    } finally {
      vault.close();
    }
  };
  const sequences = (page: Page): number[] => page.records.map((e) => e.strongroomSequence);

  it("verify catches a key's record taken out of its search rows, which hides it from the key's filter", () => {
    const { home, keys } = closedVault();
    const key = keys[0] ?? '';
    expect(verify(home)).toMatchObject({ Valid: true });
    const hidden = withDb(home, (db) => {
      const seq = db.prepare(`SELECT min(k.seq) FROM audit_keys k JOIN audit_search s USING (seq) WHERE k.key_id = ? AND s.event_name = 'ReEncrypt'`).pluck().get(key) as number;
      db.prepare('DELETE FROM audit_keys WHERE key_id = ? AND seq = ?').run(key, seq);
      return seq;
    });
    expect(sequences(found(home, { keyId: key }))).not.toContain(hidden);
    expect(verify(home)).toMatchObject({ Valid: false, Reason: 'SearchMismatch', FirstBadRecord: hidden });
  });

  it('verify catches a failure marked as a success, which hides it from the failures', () => {
    const { home } = closedVault();
    const failed = withDb(home, (db) => {
      const seq = db.prepare('SELECT min(seq) FROM audit_search WHERE is_error = 1').pluck().get() as number;
      db.prepare('UPDATE audit_search SET is_error = 0 WHERE seq = ?').run(seq);
      return seq;
    });
    expect(sequences(found(home, { errorsOnly: true }))).not.toContain(failed);
    expect(verify(home)).toMatchObject({ Valid: false, Reason: 'SearchMismatch', FirstBadRecord: failed });
  });

  it('verify catches a record placed under a key it does not name', () => {
    const { home, keys } = closedVault();
    const placed = withDb(home, (db) => {
      const seq = db.prepare(`SELECT min(seq) FROM audit_search WHERE event_name = 'CreateAlias'`).pluck().get() as number;
      db.prepare('INSERT INTO audit_keys (key_id, seq) VALUES (?, ?)').run(keys[2], seq);
      return seq;
    });
    expect(sequences(found(home, { keyId: keys[2] ?? '' }))).toContain(placed);
    const result = verify(home);
    expect(result).toMatchObject({ Valid: false, Reason: 'SearchMismatch' });
    expect(result.Problem).toContain(`record ${String(placed)} `);
  });

  it('pages on past a search entry that has no record', () => {
    const { home } = closedVault();
    withDb(home, (db) => db.exec(`INSERT INTO audit_search (seq, event_time, event_name, caller, is_error, data_plane) VALUES (1000000, '2030-01-01T00:00:00.000Z', 'Encrypt', 'Root', 0, 1)`));
    const vault = openVault(home, 'app');
    vault.unlock(PIN);
    try {
      const first = lookup(vault, { limit: 1, eventName: 'Encrypt' });
      expect(first).toEqual({ records: [], nextBeforeSequence: 1_000_000 });
      const second = lookup(vault, { limit: 1, eventName: 'Encrypt', beforeSequence: 1_000_000 });
      expect(second.records.map((e) => e.eventName)).toEqual(['Encrypt']);
    } finally {
      vault.close();
    }
  });

  it('are not asked of a vault file an older release holds open, read without migrating it', () => {
    const db = openDatabase(join(tempDir(), 'older.sqlite'), MIGRATIONS.filter((m) => m.version < 6));
    try {
      db.prepare('INSERT INTO audit (seq, event_time, event_name, record, hash) VALUES (1, ?, ?, ?, ?)').run('t', 'Lock', '{"eventTime":"t","eventName":"Lock"}', chainHash(Buffer.alloc(32), 1, '{"eventTime":"t","eventName":"Lock"}'));
      expect(verifyAuditLog(db)).toMatchObject({ Valid: true, Records: 1 });
    } finally {
      db.close();
    }
  });
});
