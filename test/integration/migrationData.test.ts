// Each migration keeps the data it finds, as in Signal-Desktop's migration
// tests: build the schema at N-1, fill every table, migrate to N, read back.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '../../src-main/vault/db';
import { MIGRATIONS } from '../../src-main/vault/migrations';
import { tempDir } from '../helpers/temp';

type Row = Record<string, unknown>;

const DAY = 86_400_000;
const T = Date.UTC(2026, 0, 15, 9, 30);
const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const GONE = '0987dcba-09ba-87dc-65fe-0987654321ba';
const ARN = 'arn:aws:kms:local:123456789012:';

/**
 * Representative rows of every table, by the migration that creates it. A new
 * migration that adds a table adds its rows here (a test below insists).
 */
const ROWS: Record<number, Record<string, Row[]>> = {
  1: {
    vault: [
      {
        singleton: 1, vault_id: '5f0c6d2e-3c1b-4b8e-9a57-2f1e0d9c8b7a', account_id: '123456789012', region: 'local', created_at: T,
        token_kind: 'external', module_path: '/usr/lib/softhsm/libsofthsm2.so', token_label: 'strongroom', token_serial: '8f3e2a1b0c9d',
        root_mechanism: 'aes-gcm', root_object_id: Buffer.from('5f0c6d2e3c1b4b8e', 'hex'), root_wrapped: Buffer.alloc(60, 0xa5),
      },
    ],
    settings: [
      { name: 'auto-lock', value: '900' },
      { name: 'last-lock', value: '{"reason":"Locked by the user","at":1768469400000,"unlocked":false}' },
    ],
  },
  2: {
    keys: [
      {
        key_id: KEY, created_at: T, description: 'payroll', key_spec: 'SYMMETRIC_DEFAULT', key_usage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', key_manager: 'CUSTOMER',
        key_state: 'Enabled', deletion_date: null, pending_window_days: null, rotation_period_days: 90, next_rotation_at: T + 90 * DAY, on_demand_rotations: 1, current_version: 2,
      },
      {
        key_id: GONE, created_at: T + 1, description: '', key_spec: 'SYMMETRIC_DEFAULT', key_usage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', key_manager: 'CUSTOMER',
        key_state: 'PendingDeletion', deletion_date: T + 7 * DAY, pending_window_days: 7, rotation_period_days: null, next_rotation_at: null, on_demand_rotations: 0, current_version: 1,
      },
    ],
    key_versions: [
      { key_id: KEY, version: 1, material_id: 'a1'.repeat(32), wrapped: Buffer.alloc(60, 1), created_at: T, rotation_type: null },
      { key_id: KEY, version: 2, material_id: 'b2'.repeat(32), wrapped: Buffer.alloc(60, 2), created_at: T + DAY, rotation_type: 'ON_DEMAND' },
      { key_id: GONE, version: 1, material_id: 'c3'.repeat(32), wrapped: Buffer.alloc(60, 3), created_at: T + 1, rotation_type: null },
    ],
    aliases: [{ alias_name: 'alias/payroll', key_id: KEY, created_at: T, updated_at: T + DAY }],
    tags: [
      { key_id: KEY, tag_key: 'team', tag_value: 'hr' },
      { key_id: GONE, tag_key: 'empty', tag_value: '' },
    ],
    audit: [
      { seq: 1, event_time: '2026-01-15T09:30:00Z', event_name: 'CreateKey', record: `{"eventName":"CreateKey","identity":"Root","managementEvent":true,"resources":["${ARN}key/${KEY}"]}`, hash: Buffer.alloc(32, 7) },
      {
        seq: 2, event_time: '2026-01-15T09:31:00Z', event_name: 'ReEncrypt',
        record: `{"eventName":"ReEncrypt","identity":"User","principal":"arn:aws:iam::123456789012:user/Ana","managementEvent":false,"requestParameters":{"encryptionContext":{"ключ":"значение"}},"resources":["${ARN}key/${KEY}","${ARN}key/${GONE}"]}`,
        hash: Buffer.alloc(32, 8),
      },
      {
        seq: 3, event_time: '2026-01-15T09:32:00Z', event_name: 'CreateAlias',
        record: `{"eventName":"CreateAlias","identity":"Root","managementEvent":true,"errorCode":"AlreadyExistsException","errorMessage":"taken","resources":["${ARN}alias/payroll","${ARN}key/${KEY}"]}`,
        hash: Buffer.alloc(32, 9),
      },
      { seq: 4, event_time: '2026-01-15T09:33:00Z', event_name: 'Encrypt', record: '{not json', hash: Buffer.alloc(32, 10) },
    ],
  },
  4: {
    audit_key: [{ singleton: 1, mechanism: 'ecdsa-p256-sha256', object_id: Buffer.from('5f0c6d2e3c1b4b8e61756469', 'hex'), public_key: Buffer.alloc(91, 0x30), created_at: T }],
    audit_checkpoints: [
      { number: 1, payload: 'strongroom audit checkpoint v1\nvault 5f0c6d2e-3c1b-4b8e-9a57-2f1e0d9c8b7a\nnumber 1\n', signature: Buffer.alloc(70, 0x30) },
      { number: 2, payload: 'strongroom audit checkpoint v1\nvault 5f0c6d2e-3c1b-4b8e-9a57-2f1e0d9c8b7a\nnumber 2\n', signature: Buffer.alloc(71, 0x31) },
    ],
  },
  6: {
    audit_search: [
      { seq: 1, event_time: '2026-01-15T09:30:00Z', event_name: 'CreateKey', caller: 'Root', is_error: 0, data_plane: 0 },
      { seq: 2, event_time: '2026-01-15T09:31:00Z', event_name: 'ReEncrypt', caller: 'arn:aws:iam::123456789012:user/Ana', is_error: 0, data_plane: 1 },
    ],
    audit_keys: [
      { key_id: KEY, seq: 1 },
      { key_id: GONE, seq: 2 },
    ],
  },
  7: {
    import_parameters: [
      { token_id: 'd4'.repeat(16), key_id: KEY, wrapping_algorithm: 'RSAES_OAEP_SHA_256', wrapping_key_spec: 'RSA_2048', wrapped_private_key: Buffer.alloc(1250, 4), valid_to: T + DAY },
    ],
    imported_material: [{ key_id: KEY, material_id: 'e5'.repeat(32), fingerprint: Buffer.alloc(32, 5), expiration_model: 'KEY_MATERIAL_EXPIRES', valid_to: T + 30 * DAY, mac: Buffer.alloc(32, 6) }],
  },
  8: {
    custom_key_stores: [
      { id: 'cks-0123456789abcdef0', name: 'ceremony HSM', token_uri: 'pkcs11:token=Keys;serial=8f3e2a1b0c9d?module-path=/usr/lib/softhsm/libsofthsm2.so', cluster_id: 'cluster-abcdefghijklmnop', wrapped_pin: Buffer.alloc(36, 7), connected: 1, created_at: T, mac: Buffer.alloc(32, 8) },
    ],
    token_keys: [{ key_id: GONE, custom_key_store_id: 'cks-0123456789abcdef0', object_id: Buffer.alloc(16, 9), mac: Buffer.alloc(32, 10) }],
  },
  10: {
    grants: [
      { grant_id: 'f6'.repeat(32), key_id: KEY, name: 'nightly', grantee: 'arn:aws:iam::123456789012:user/Ana', retiring: 'arn:aws:iam::123456789012:user/Ops', operations: '["Decrypt","Encrypt"]', constraints: '{"EncryptionContextSubset":{"app":"backup"}}', issuing_account: '123456789012', created_at: T, mac: Buffer.alloc(32, 12) },
    ],
  },
  11: {
    iam_users: [
      { user_name: 'Ana', user_id: 'AIDA2345ABCDEFGHIJKLM', path: '/ops/', created_at: T, policies: '{"kms-use":"{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}"}', mac: Buffer.alloc(32, 13) },
      { user_name: 'Ops', user_id: 'AIDA2345ABCDEFGHIJKLN', path: '/', created_at: T + 1, policies: '{}', mac: Buffer.alloc(32, 14) },
    ],
    iam_access_keys: [{ access_key_id: 'AKIA2345ABCDEFGHIJKL', user_name: 'ana', status: 'Inactive', secret: Buffer.alloc(68, 15), created_at: T + 2, mac: Buffer.alloc(32, 16) }],
  },
  12: {
    contacts: [
      { name: 'Bob', kind: 'rsa', public_key: Buffer.alloc(294, 1).toString('base64'), fingerprint: 'SHA256:abc', description: 'Bob at the lab', created_at: T, mac: Buffer.alloc(32, 17) },
      { name: 'Carol', kind: 'age', public_key: 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p', fingerprint: 'SHA256:def', description: '', created_at: T + 1, mac: Buffer.alloc(32, 18) },
    ],
  },
  13: {
    age_identities: [
      { name: 'Mine', kind: 'X25519', recipient: 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p', wrapped_secret: Buffer.alloc(60, 19), description: 'files to me', created_at: T, mac: Buffer.alloc(32, 20) },
    ],
  },
  14: {
    recovery_split: [{ only_one: 1, split_id: 'a1b2c3d4e5f60718', threshold: 3, custodians: '["ana","bo","cy","di","ed"]', wrapped_root: Buffer.alloc(60, 21), created_at: T, mac: Buffer.alloc(32, 22) }],
  },
  15: {
    audit_keys_retired: [{ until_checkpoint: 4, mechanism: 'ecdsa-p256-sha256', object_id: Buffer.alloc(21, 23), public_key: Buffer.alloc(91, 24), created_at: T, retired_at: T + DAY }],
  },
  17: {
    replication_requests: [{ request_id: 'ab'.repeat(16), wrapped_private_key: Buffer.alloc(60, 25), valid_to: T + DAY }],
  },
  9: {
    key_policies: [{ key_id: KEY, document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"kms:*","Resource":"*"}]}', mac: Buffer.alloc(32, 11) }],
  },
};

/** The migrations up to and including `version`, by number: a release may skip a number. */
function upTo(version: number): typeof MIGRATIONS {
  return MIGRATIONS.filter((m) => m.version <= version);
}

/** The tables and rows that exist once migration `version` has run. */
function rowsAt(version: number): [string, Row[]][] {
  return upTo(version).flatMap((m) => Object.entries(ROWS[m.version] ?? {}));
}

/** A vault file at schema `version`, each of its tables holding its representative rows. */
function filledAt(version: number): Db {
  const db = openDatabase(join(tempDir(), `at-${String(version)}.sqlite`), upTo(version));
  for (const [table, rows] of rowsAt(version)) {
    for (const row of rows) {
      const columns = Object.keys(row);
      db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
    }
  }
  return db;
}

const tablesOf = (db: Db): string[] =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
const countOf = (db: Db, table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('each migration', () => {
  it('has representative rows for every table there is after it', () => {
    for (const { version } of MIGRATIONS) {
      const db = openDatabase(join(tempDir(), `tables-${String(version)}.sqlite`), upTo(version));
      expect({ version, tables: tablesOf(db) }).toEqual({ version, tables: rowsAt(version).map(([table]) => table).sort() });
      db.close();
    }
  });

  for (const { version, name } of MIGRATIONS) {
    it(`${String(version)} (${name}) loses no row of any table`, () => {
      const db = filledAt(version - 1);
      const before = tablesOf(db).map((table) => [table, countOf(db, table)] as const);
      migrate(db, upTo(version));
      for (const [table, count] of before) expect(countOf(db, table), `rows of ${table}`).toBeGreaterThanOrEqual(count);
      db.close();
    });

    it(`${String(version)} (${name}) gives back every value of the rows it finds`, () => {
      const db = filledAt(version - 1);
      migrate(db, upTo(version));
      expect(db.pragma('user_version', { simple: true })).toBe(version);
      for (const [table, rows] of rowsAt(version - 1)) {
        const found = db.prepare(`SELECT * FROM ${table}`).all();
        // A column a migration adds is new; the columns the rows had keep their values.
        expect({ table, rows: found }).toEqual({ table, rows: expect.arrayContaining(rows.map((row) => expect.objectContaining(row) as unknown)) as unknown });
        expect({ table, count: found.length }).toEqual({ table, count: rows.length });
      }
      db.close();
    });
  }
});

describe('0003 (state-seal)', () => {
  it('gives the vault record, every key and every key version an empty seal, which the first unlock fills', () => {
    const db = filledAt(2);
    migrate(db, MIGRATIONS.slice(0, 3));
    for (const table of ['vault', 'keys', 'key_versions']) {
      const macs = db.prepare(`SELECT mac FROM ${table}`).all();
      expect({ table, macs }).toEqual({ table, macs: ROWS[table === 'vault' ? 1 : 2]?.[table]?.map(() => ({ mac: null })) });
    }
    db.close();
  });
});

describe('0005 (key-list-sorts)', () => {
  it("indexes the key list's sorts and each key's aliases by name, and keeps every alias findable by key", () => {
    const db = filledAt(4);
    migrate(db, upTo(5));
    const indexes = (db.prepare("SELECT name, tbl_name AS tableName FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all() as Row[]).map((i) => `${String(i.tableName)}.${String(i.name)}`);
    expect(indexes).toEqual(expect.arrayContaining(['keys.keys_by_description', 'keys.keys_by_state', 'aliases.aliases_by_key_and_name']));
    expect(indexes).not.toContain('aliases.aliases_by_key');
    expect(db.prepare('SELECT alias_name FROM aliases WHERE key_id = ? ORDER BY alias_name').all(KEY)).toEqual([{ alias_name: 'alias/payroll' }]);
    db.close();
  });
});

describe('0006 (audit-search)', () => {
  it('fills the search entry and the keys of every record there is', () => {
    const db = filledAt(5);
    migrate(db, upTo(6));
    expect(db.prepare('SELECT seq, caller, is_error, data_plane FROM audit_search ORDER BY seq').all()).toEqual([
      { seq: 1, caller: 'Root', is_error: 0, data_plane: 0 },
      { seq: 2, caller: 'arn:aws:iam::123456789012:user/Ana', is_error: 0, data_plane: 1 },
      { seq: 3, caller: 'Root', is_error: 1, data_plane: 0 },
      { seq: 4, caller: null, is_error: 0, data_plane: 0 },
    ]);
    expect(db.prepare('SELECT seq, key_id FROM audit_keys ORDER BY seq, key_id').all()).toEqual([
      { seq: 1, key_id: KEY },
      { seq: 2, key_id: GONE },
      { seq: 2, key_id: KEY },
      { seq: 3, key_id: KEY },
    ]);
    db.close();
  });
});

describe('0007 (imported-material)', () => {
  it('adds the import tables, empty, and leaves every key as it was (no key of an earlier version has imported material)', () => {
    const db = filledAt(6);
    const keys = db.prepare('SELECT * FROM keys ORDER BY key_id').all();
    migrate(db, upTo(7));
    expect(countOf(db, 'import_parameters') + countOf(db, 'imported_material')).toBe(0);
    expect(db.prepare('SELECT * FROM keys ORDER BY key_id').all()).toEqual(keys);
    db.close();
  });
});

describe('0008 (custom-key-stores)', () => {
  it('adds the custom key store tables, empty, and leaves every key in the vault', () => {
    const db = filledAt(7);
    const keys = db.prepare('SELECT * FROM keys ORDER BY key_id').all();
    migrate(db, upTo(8));
    expect(countOf(db, 'custom_key_stores') + countOf(db, 'token_keys')).toBe(0);
    expect(db.prepare('SELECT * FROM keys ORDER BY key_id').all()).toEqual(keys);
    db.close();
  });
});

describe('0009 (key-policies)', () => {
  it('adds the key policy table, empty: every key keeps the default policy until the first unlock writes it, and is otherwise as it was', () => {
    const db = filledAt(8);
    const keys = db.prepare('SELECT * FROM keys ORDER BY key_id').all();
    migrate(db, upTo(9));
    expect(countOf(db, 'key_policies')).toBe(0);
    expect(db.prepare('SELECT * FROM keys ORDER BY key_id').all()).toEqual(keys);
    db.close();
  });
});

describe('0010 (grants)', () => {
  it('adds the grants table, empty, and leaves every key and key policy as it was', () => {
    const db = filledAt(9);
    const before = db.prepare('SELECT * FROM keys ORDER BY key_id').all();
    const policies = db.prepare('SELECT * FROM key_policies ORDER BY key_id').all();
    migrate(db, upTo(10));
    expect(countOf(db, 'grants')).toBe(0);
    expect(db.prepare('SELECT * FROM keys ORDER BY key_id').all()).toEqual(before);
    expect(db.prepare('SELECT * FROM key_policies ORDER BY key_id').all()).toEqual(policies);
    db.close();
  });
});

describe('0011 (iam)', () => {
  it('adds the users and access keys tables, empty, and leaves every key, key policy and grant as it was', () => {
    const db = filledAt(10);
    const tables = ['keys', 'key_policies', 'grants'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all());
    migrate(db, upTo(11));
    expect(countOf(db, 'iam_users')).toBe(0);
    expect(countOf(db, 'iam_access_keys')).toBe(0);
    expect(['keys', 'key_policies', 'grants'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all())).toEqual(tables);
    db.close();
  });

  it('keeps user names unique in any case, and an access key only for a user it has', () => {
    const db = filledAt(11);
    const user = { user_name: 'ANA', user_id: 'AIDA2345ABCDEFGHIJKLP', path: '/', created_at: T, policies: '{}', mac: null };
    expect(() => db.prepare('INSERT INTO iam_users VALUES (@user_name, @user_id, @path, @created_at, @policies, @mac)').run(user)).toThrow(/UNIQUE/);
    const key = { access_key_id: 'AKIA2345ABCDEFGHIJKM', user_name: 'Nobody', status: 'Active', secret: Buffer.alloc(68), created_at: T, mac: null };
    expect(() => db.prepare('INSERT INTO iam_access_keys VALUES (@access_key_id, @user_name, @status, @secret, @created_at, @mac)').run(key)).toThrow(/FOREIGN KEY/);
    db.close();
  });
});

describe('0012 (contacts)', () => {
  it('adds the contacts table, empty, and leaves users, access keys and keys as they were', () => {
    const db = filledAt(11);
    const tables = ['keys', 'iam_users', 'iam_access_keys'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all());
    migrate(db, upTo(12));
    expect(countOf(db, 'contacts')).toBe(0);
    expect(['keys', 'iam_users', 'iam_access_keys'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all())).toEqual(tables);
    db.close();
  });

  it('keeps contact names unique in any case, and their kinds to those it knows', () => {
    const db = filledAt(12);
    const insert = db.prepare('INSERT INTO contacts VALUES (@name, @kind, @public_key, @fingerprint, @description, @created_at, @mac)');
    const contact = { name: 'BOB', kind: 'rsa', public_key: 'x', fingerprint: 'f', description: '', created_at: T, mac: null };
    expect(() => insert.run(contact)).toThrow(/UNIQUE/);
    expect(() => insert.run({ ...contact, name: 'Dave', kind: 'dsa' })).toThrow(/CHECK/);
    db.close();
  });
});

describe('0013 (age identities)', () => {
  it('adds the age identities table, empty, and leaves contacts and keys as they were', () => {
    const db = filledAt(12);
    const tables = ['keys', 'contacts'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all());
    migrate(db, upTo(13));
    expect(countOf(db, 'age_identities')).toBe(0);
    expect(['keys', 'contacts'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all())).toEqual(tables);
    db.close();
  });

  it('keeps names unique in any case, recipients unique, and kinds to those it knows', () => {
    const db = filledAt(13);
    const insert = db.prepare('INSERT INTO age_identities VALUES (@name, @kind, @recipient, @wrapped_secret, @description, @created_at, @mac)');
    const identity = { name: 'MINE', kind: 'X25519', recipient: 'age1other', wrapped_secret: Buffer.alloc(60), description: '', created_at: T, mac: null };
    expect(() => insert.run(identity)).toThrow(/UNIQUE/);
    expect(() => insert.run({ ...identity, name: 'Other', recipient: 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p' })).toThrow(/UNIQUE/);
    expect(() => insert.run({ ...identity, name: 'Other', kind: 'scrypt' })).toThrow(/CHECK/);
    db.close();
  });
});

describe('0014 (recovery split)', () => {
  it('adds the recovery split table, empty, and leaves the age identities and keys as they were', () => {
    const db = filledAt(13);
    const tables = ['keys', 'age_identities'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all());
    migrate(db, upTo(14));
    expect(countOf(db, 'recovery_split')).toBe(0);
    expect(['keys', 'age_identities'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all())).toEqual(tables);
    db.close();
  });

  it('keeps one split, of threshold 2 or more', () => {
    const db = filledAt(14);
    const insert = db.prepare('INSERT INTO recovery_split VALUES (@only_one, @split_id, @threshold, @custodians, @wrapped_root, @created_at, @mac)');
    const split = { only_one: 1, split_id: 'ffffffffffffffff', threshold: 2, custodians: '[]', wrapped_root: Buffer.alloc(60), created_at: T, mac: null };
    expect(() => insert.run(split)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => insert.run({ ...split, only_one: 2 })).toThrow(/CHECK/);
    db.prepare('DELETE FROM recovery_split').run();
    expect(() => insert.run({ ...split, threshold: 1 })).toThrow(/CHECK/);
    db.close();
  });
});

describe('0015 (retired audit keys)', () => {
  it('adds the retired audit keys table, empty, and leaves the audit key and checkpoints as they were', () => {
    const db = filledAt(14);
    const tables = ['audit_key', 'audit_checkpoints'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all());
    migrate(db, upTo(15));
    expect(countOf(db, 'audit_keys_retired')).toBe(0);
    expect(['audit_key', 'audit_checkpoints'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all())).toEqual(tables);
    db.close();
  });

  it('keeps one key per range of checkpoints, and only the mechanisms it knows', () => {
    const db = filledAt(15);
    const insert = db.prepare('INSERT INTO audit_keys_retired VALUES (@until_checkpoint, @mechanism, @object_id, @public_key, @created_at, @retired_at)');
    const key = { until_checkpoint: 4, mechanism: 'rsa-pkcs1-sha256', object_id: Buffer.alloc(21), public_key: Buffer.alloc(294), created_at: T, retired_at: T };
    expect(() => insert.run(key)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => insert.run({ ...key, until_checkpoint: 9, mechanism: 'ed25519' })).toThrow(/CHECK/);
    db.close();
  });
});

describe('0016 (exportable keys)', () => {
  it('gives every key exportable 0 and leaves its other columns as they were', () => {
    const db = filledAt(15);
    const before = db.prepare('SELECT * FROM keys ORDER BY rowid').all() as Row[];
    migrate(db, upTo(16));
    expect(db.prepare('SELECT * FROM keys ORDER BY rowid').all()).toEqual(before.map((row) => ({ ...row, exportable: 0 })));
    expect(() => db.prepare('UPDATE keys SET exportable = 2').run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('0017 (multi-Region keys)', () => {
  it('gives every key no multi-Region configuration, adds the replication requests table, empty, and keeps the keys as they were', () => {
    const db = filledAt(16);
    const before = db.prepare('SELECT * FROM keys ORDER BY rowid').all() as Row[];
    migrate(db, upTo(17));
    expect(db.prepare('SELECT * FROM keys ORDER BY rowid').all()).toEqual(before.map((row) => ({ ...row, multi_region: null })));
    expect(countOf(db, 'replication_requests')).toBe(0);
    expect(() => db.prepare("UPDATE keys SET multi_region = 'not json'").run()).toThrow(/CHECK/);
    db.close();
  });
});
