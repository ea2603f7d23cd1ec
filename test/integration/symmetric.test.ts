import { ecb, gcm } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { canonicalContext } from '../../src-main/crypto/encryptionContext';
import { exportAuditLog } from '../../src-main/audit/verify';
import { allPages, b64, call, failure, newKey } from '../helpers/kms';
import { freshVaultForEachTest, PIN } from '../helpers/vault';

let vault: Vault;
freshVaultForEachTest((fresh) => {
  vault = fresh;
});

describe('CreateKey, DescribeKey, ListKeys', () => {
  it('creates a symmetric key with AWS metadata, tags and ARN', () => {
    const created = call(vault, 'CreateKey', { Description: 'payroll', Tags: [{ TagKey: 'team', TagValue: 'finance' }] }).KeyMetadata;
    expect(created).toMatchObject({
      KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled', Enabled: true, Origin: 'AWS_KMS', KeyManager: 'CUSTOMER',
      MultiRegion: false, Description: 'payroll', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], AWSAccountId: vault.record.accountId,
    });
    expect(created?.Arn).toBe(`arn:aws:kms:local:${vault.record.accountId}:key/${String(created?.KeyId)}`);
    expect(created?.CurrentKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(call(vault, 'DescribeKey', { KeyId: created?.Arn }).KeyMetadata).toEqual(created);
    expect(vault.store.tags.ofKey(created?.KeyId ?? '')).toEqual([{ TagKey: 'team', TagValue: 'finance' }]);
  });

  it('refuses what it cannot create, with AWS exception names', () => {
    expect(failure(vault, 'CreateKey', { KeySpec: 'NOPE' })).toMatch(/^ValidationException/);
    expect(failure(vault, 'CreateKey', { KeySpec: 'SYMMETRIC_DEFAULT', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT' })).toMatch(/^ValidationException/);
    expect(failure(vault, 'CreateKey', { KeyUsage: 'SIGN_VERIFY' })).toMatch(/^ValidationException/);
    expect(failure(vault, 'CreateKey', { Description: 'x'.repeat(8193) })).toMatch(/^ValidationException/);
    expect(failure(vault, 'CreateKey', { Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] })).toMatch(/^TagException/);
    expect(failure(vault, 'CreateKey', { Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${String(i)}`, TagValue: '' })) })).toMatch(/^TagException: Too many tags/);
    expect(failure(vault, 'CreateKey', { MultiRegion: true })).toMatch(/^UnsupportedOperationException/);
    expect(failure(vault, 'CreateKey', { Origin: 'EXTERNAL_KEY_STORE' })).toMatch(/^UnsupportedOperationException/);
    expect(failure(vault, 'CreateKey', { CustomKeyStoreId: 'cks-1234567890abcdef0' })).toMatch(/^ValidationException: .*Origin AWS_CLOUDHSM/);
    expect(failure(vault, 'CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: 'cks-1234567890abcdef0' })).toMatch(/^CustomKeyStoreNotFoundException/);
  });

  it('describes by id and ARN, and says NotFoundException for other keys and accounts', () => {
    const id = newKey(vault);
    expect(call(vault, 'DescribeKey', { KeyId: id }).KeyMetadata?.KeyId).toBe(id);
    expect(failure(vault, 'DescribeKey', { KeyId: '00000000-0000-0000-0000-000000000000' })).toMatch(/^NotFoundException: Key 'arn:aws:kms:local:/);
    expect(failure(vault, 'DescribeKey', { KeyId: `arn:aws:kms:local:111122223333:key/${id}` })).toMatch(/^NotFoundException: .* is not in this vault/);
    expect(failure(vault, 'DescribeKey', { KeyId: 'alias/none' })).toMatch(/^NotFoundException: Alias/);
  });

  it('lists keys in pages with markers', () => {
    const ids = Array.from({ length: 7 }, () => newKey(vault));
    const pages = allPages(vault, 'ListKeys', { Limit: 3 });
    for (const page of pages) expect(page.Keys?.[0]?.KeyArn).toMatch(/^arn:aws:kms:local:\d{12}:key\//);
    const seen = pages.flatMap((page) => (page.Keys ?? []).map((k) => k.KeyId ?? ''));
    // Every key once, none twice (keys made in the same millisecond come in id order, not creation order).
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(failure(vault, 'ListKeys', { Marker: 'garbage' })).toMatch(/^InvalidMarkerException/);
    // A marker belongs to the list that gave it.
    expect(failure(vault, 'ListAliases', { Marker: pages[0]?.NextMarker })).toMatch(/^InvalidMarkerException/);
    expect(failure(vault, 'ListKeys', { Limit: 1001 })).toMatch(/^ValidationException/);
    expect(call(vault, 'ListKeys', {}).Truncated).toBe(false);
  });
});

describe('Encrypt and Decrypt', () => {
  it('round-trips with an encryption context, and Decrypt needs no KeyId', () => {
    const id = newKey(vault);
    const context = { purpose: 'test', 'ünïcode': 'välue' };
    const { CiphertextBlob, KeyId } = call(vault, 'Encrypt', { KeyId: id, Plaintext: b64('attack at dawn'), EncryptionContext: context });
    expect(KeyId).toBe(vault.store.keyArn(id));
    const out = call(vault, 'Decrypt', { CiphertextBlob, EncryptionContext: { 'ünïcode': 'välue', purpose: 'test' } });
    expect(Buffer.from(out.Plaintext ?? '', 'base64').toString()).toBe('attack at dawn');
    expect(out.KeyId).toBe(KeyId);
    expect(out.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect(out.KeyMaterialId).toBe(call(vault, 'DescribeKey', { KeyId: id }).KeyMetadata?.CurrentKeyMaterialId);
  });

  it('refuses a context that differs in any way', () => {
    const id = newKey(vault);
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x'), EncryptionContext: { a: 'b' } });
    for (const context of [undefined, {}, { a: 'c' }, { A: 'b' }, { a: 'b', c: 'd' }, { 'a ': 'b' }]) {
      expect(failure(vault, 'Decrypt', { CiphertextBlob, ...(context ? { EncryptionContext: context } : {}) }), JSON.stringify(context)).toMatch(/^InvalidCiphertextException/);
    }
  });

  it('gives IncorrectKeyException when the named key is another one', () => {
    const [a, b] = [newKey(vault), newKey(vault)];
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: a, Plaintext: b64('x') });
    expect(failure(vault, 'Decrypt', { CiphertextBlob, KeyId: b })).toMatch(/^IncorrectKeyException/);
    expect(call(vault, 'Decrypt', { CiphertextBlob, KeyId: a }).Plaintext).toBe(b64('x'));
  });

  it('enforces the 4096-byte limit and AWS validation', () => {
    const id = newKey(vault);
    expect(call(vault, 'Encrypt', { KeyId: id, Plaintext: b64(Buffer.alloc(4096, 1)) }).CiphertextBlob).toBeDefined();
    expect(failure(vault, 'Encrypt', { KeyId: id, Plaintext: b64(Buffer.alloc(4097, 1)) })).toMatch(/^ValidationException/);
    expect(failure(vault, 'Encrypt', { KeyId: id, Plaintext: '' })).toMatch(/^ValidationException/);
    expect(failure(vault, 'Encrypt', { KeyId: id, Plaintext: 'not base64!' })).toMatch(/^ValidationException/);
    expect(failure(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).toMatch(/^InvalidKeyUsageException/);
    expect(failure(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x'), DryRun: true })).toMatch(/^DryRunOperationException/);
    expect(failure(vault, 'Decrypt', { CiphertextBlob: b64('too short') })).toMatch(/^InvalidCiphertextException/);
  });

  it('stops a DryRun before anything is encrypted or made, and decrypts only to check the ciphertext', () => {
    const id = newKey(vault);
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x') });
    vault.audit.flush();
    const before = [...exportAuditLog(vault.db)].length;
    expect(failure(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x'), DryRun: true })).toMatch(/^DryRunOperationException/);
    expect(failure(vault, 'GenerateDataKey', { KeyId: id, KeySpec: 'AES_256', DryRun: true })).toMatch(/^DryRunOperationException/);
    expect(failure(vault, 'Decrypt', { CiphertextBlob, DryRun: true })).toMatch(/^DryRunOperationException/);
    expect(failure(vault, 'Decrypt', { CiphertextBlob, EncryptionContext: { a: 'b' }, DryRun: true })).toMatch(/^InvalidCiphertextException/);
    vault.audit.flush();
    const records = [...exportAuditLog(vault.db)].slice(before).map((line) => JSON.parse(line) as { eventName: string; additionalEventData?: unknown });
    expect(records.map((r) => [r.eventName, r.additionalEventData])).toEqual([
      ['Encrypt', undefined],
      ['GenerateDataKey', undefined],
      ['Decrypt', undefined],
      ['Decrypt', undefined],
    ]);
  });

  it('checks permission only for a DryRun with IGNORE_CIPHERTEXT, on the key the request names', () => {
    const [id, other] = [newKey(vault), newKey(vault)];
    const ignore = { DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] };
    expect(failure(vault, 'Decrypt', { KeyId: id, ...ignore })).toMatch(/^DryRunOperationException/);
    expect(failure(vault, 'Decrypt', { KeyId: id, CiphertextBlob: b64('not a ciphertext at all'), ...ignore })).toMatch(/^DryRunOperationException/);
    expect(failure(vault, 'Decrypt', ignore)).toMatch(/^ValidationException: KeyId is required for a DryRun with IGNORE_CIPHERTEXT/);
    expect(failure(vault, 'ReEncrypt', { SourceKeyId: id, DestinationKeyId: other, ...ignore })).toMatch(/^DryRunOperationException/);
    expect(failure(vault, 'ReEncrypt', { DestinationKeyId: other, ...ignore })).toMatch(/^ValidationException: SourceKeyId is required/);
    // The key's state still counts, and without DryRun the modifier changes nothing.
    call(vault, 'DisableKey', { KeyId: id });
    expect(failure(vault, 'Decrypt', { KeyId: id, ...ignore })).toMatch(/^DisabledException/);
    expect(failure(vault, 'Decrypt', { KeyId: other, DryRunModifiers: ['IGNORE_CIPHERTEXT'] })).toMatch(/^ValidationException: CiphertextBlob is required/);
  });

  it('follows the key state: Disabled gives DisabledException, PendingDeletion KMSInvalidStateException', () => {
    const id = newKey(vault);
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x') });
    call(vault, 'DisableKey', { KeyId: id });
    expect(call(vault, 'DescribeKey', { KeyId: id }).KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    expect(failure(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x') })).toMatch(/^DisabledException/);
    expect(failure(vault, 'Decrypt', { CiphertextBlob })).toMatch(/^DisabledException/);
    call(vault, 'EnableKey', { KeyId: id });
    expect(call(vault, 'Decrypt', { CiphertextBlob }).Plaintext).toBe(b64('x'));
    call(vault, 'ScheduleKeyDeletion', { KeyId: id, PendingWindowInDays: 7 });
    expect(failure(vault, 'Decrypt', { CiphertextBlob })).toMatch(/^KMSInvalidStateException/);
    expect(failure(vault, 'EnableKey', { KeyId: id })).toMatch(/^KMSInvalidStateException/);
    expect(failure(vault, 'DisableKey', { KeyId: id })).toMatch(/^KMSInvalidStateException/);
    expect(failure(vault, 'UpdateKeyDescription', { KeyId: id, Description: 'x' })).toMatch(/^KMSInvalidStateException/);
    expect(call(vault, 'DescribeKey', { KeyId: id }).KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', DeletionDate: expect.any(Number) as unknown });
  });

  it('is readable by AES implementations no one here wrote (@noble/ciphers), per docs/ciphertext-format.md', () => {
    const id = newKey(vault);
    const context = { dept: 'legal' };
    const blob = Buffer.from(call(vault, 'Encrypt', { KeyId: id, Plaintext: b64('cross-checked'), EncryptionContext: context }).CiphertextBlob ?? '', 'base64');
    const backing = vault.use(({ rootKey }) => Buffer.from(vault.store.backingKey(rootKey.value, id, 1).material));
    expect(blob[0]).toBe(2);
    expect(blob.subarray(1, 17).toString('hex')).toBe(id.replaceAll('-', ''));
    expect(blob.readUInt32BE(17)).toBe(1);
    const aad = Buffer.concat([blob.subarray(0, 21), canonicalContext(context)]);
    const plain = gcm(xaesSubkey(backing, blob.subarray(21, 33)), blob.subarray(33, 45), aad).decrypt(blob.subarray(45));
    expect(Buffer.from(plain).toString()).toBe('cross-checked');
  });

  it('still decrypts the first format (AES-256-GCM under the backing key, random 96-bit IV)', () => {
    const id = newKey(vault);
    const context = { dept: 'legal' };
    const backing = vault.use(({ rootKey }) => Buffer.from(vault.store.backingKey(rootKey.value, id, 1).material));
    const header = Buffer.concat([Buffer.from([1]), Buffer.from(id.replaceAll('-', ''), 'hex'), Buffer.from([0, 0, 0, 1])]);
    const iv = Buffer.alloc(12, 9);
    const sealed = gcm(backing, iv, Buffer.concat([header, canonicalContext(context)])).encrypt(Buffer.from('made by version 1'));
    const blob = Buffer.concat([header, iv, sealed]).toString('base64');
    expect(Buffer.from(call(vault, 'Decrypt', { CiphertextBlob: blob, EncryptionContext: context }).Plaintext ?? '', 'base64').toString()).toBe('made by version 1');
    expect(failure(vault, 'Decrypt', { CiphertextBlob: blob, EncryptionContext: { dept: 'sales' } })).toMatch(/^InvalidCiphertextException:/);
  });
});

/** The XAES-256-GCM subkey of c2sp.org/XAES-256-GCM, computed with @noble/ciphers' AES. */
function xaesSubkey(key: Buffer, nonceHalf: Buffer): Uint8Array {
  const aes = () => ecb(key, { disablePadding: true });
  const l = aes().encrypt(new Uint8Array(16));
  const k1 = l.map((byte, i) => ((byte << 1) | ((l[i + 1] ?? 0) >> 7)) & 0xff);
  if ((l[0] ?? 0) & 0x80) k1[15] = (k1[15] ?? 0) ^ 0x87;
  const message = (counter: number) => Buffer.concat([Buffer.from([0, counter, 0x58, 0]), nonceHalf]).map((byte, i) => byte ^ (k1[i] ?? 0));
  return aes().encrypt(Buffer.concat([message(1), message(2)]));
}

describe('backing keys in memory', () => {
  it('are unwrapped once, cached, and zero-filled when the vault locks', () => {
    const id = newKey(vault);
    call(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x') });
    const cached = vault.use(({ rootKey }) => vault.store.backingKey(rootKey.value, id, 1).material);
    expect(vault.use(({ rootKey }) => vault.store.backingKey(rootKey.value, id, 1).material)).toBe(cached);
    expect(cached.some((b) => b !== 0)).toBe(true);
    vault.lock();
    expect(cached.every((b) => b === 0)).toBe(true);
    vault.unlock(PIN);
    expect(call(vault, 'Encrypt', { KeyId: id, Plaintext: b64('x') }).CiphertextBlob).toBeDefined();
  });

  it('are zero-filled when their key is disabled or scheduled for deletion, and unwrapped again once it is usable', () => {
    const id = newKey(vault);
    const cachedNow = () => vault.use(({ rootKey }) => vault.store.backingKey(rootKey.value, id, 1).material);
    const ciphertext = (call(vault, 'Encrypt', { KeyId: id, Plaintext: b64('kept') }) as { CiphertextBlob: string }).CiphertextBlob;
    let cached = cachedNow();
    call(vault, 'DisableKey', { KeyId: id });
    expect(cached.every((b) => b === 0)).toBe(true);
    call(vault, 'EnableKey', { KeyId: id });
    cached = cachedNow();
    expect(cached.some((b) => b !== 0)).toBe(true);
    call(vault, 'ScheduleKeyDeletion', { KeyId: id, PendingWindowInDays: 7 });
    expect(cached.every((b) => b === 0)).toBe(true);
    call(vault, 'CancelKeyDeletion', { KeyId: id });
    call(vault, 'EnableKey', { KeyId: id });
    expect(Buffer.from((call(vault, 'Decrypt', { CiphertextBlob: ciphertext }) as { Plaintext: string }).Plaintext, 'base64').toString()).toBe('kept');
  });
});

describe('ReEncrypt and data keys', () => {
  it('moves a ciphertext to another key and context', () => {
    const [a, b] = [newKey(vault), newKey(vault)];
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: a, Plaintext: b64('moved'), EncryptionContext: { v: '1' } });
    const moved = call(vault, 'ReEncrypt', { CiphertextBlob, SourceEncryptionContext: { v: '1' }, DestinationKeyId: b, DestinationEncryptionContext: { v: '2' } });
    expect(moved).toMatchObject({ SourceKeyId: vault.store.keyArn(a), KeyId: vault.store.keyArn(b), SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    expect(call(vault, 'Decrypt', { CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { v: '2' } }).Plaintext).toBe(b64('moved'));
    expect(failure(vault, 'ReEncrypt', { CiphertextBlob, DestinationKeyId: b })).toMatch(/^InvalidCiphertextException/);
    expect(failure(vault, 'ReEncrypt', { CiphertextBlob, SourceKeyId: b, SourceEncryptionContext: { v: '1' }, DestinationKeyId: b })).toMatch(/^IncorrectKeyException/);
  });

  it('generates data keys by KeySpec or NumberOfBytes, with and without plaintext', () => {
    const id = newKey(vault);
    const dk = call(vault, 'GenerateDataKey', { KeyId: id, KeySpec: 'AES_256', EncryptionContext: { f: 'x' } });
    expect(Buffer.from(dk.Plaintext ?? '', 'base64')).toHaveLength(32);
    expect(call(vault, 'Decrypt', { CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { f: 'x' } }).Plaintext).toBe(dk.Plaintext);
    expect(Buffer.from(call(vault, 'GenerateDataKey', { KeyId: id, KeySpec: 'AES_128' }).Plaintext ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(call(vault, 'GenerateDataKey', { KeyId: id, NumberOfBytes: 1024 }).Plaintext ?? '', 'base64')).toHaveLength(1024);
    const without = call(vault, 'GenerateDataKeyWithoutPlaintext', { KeyId: id, NumberOfBytes: 64 });
    expect(without).not.toHaveProperty('Plaintext');
    expect(Buffer.from(call(vault, 'Decrypt', { CiphertextBlob: without.CiphertextBlob }).Plaintext ?? '', 'base64')).toHaveLength(64);
    expect(failure(vault, 'GenerateDataKey', { KeyId: id })).toMatch(/^ValidationException: Give exactly one/);
    expect(failure(vault, 'GenerateDataKey', { KeyId: id, KeySpec: 'AES_256', NumberOfBytes: 32 })).toMatch(/^ValidationException/);
    expect(failure(vault, 'GenerateDataKey', { KeyId: id, NumberOfBytes: 1025 })).toMatch(/^ValidationException/);
  });

  it('updates the description', () => {
    const id = newKey(vault, 'old');
    call(vault, 'UpdateKeyDescription', { KeyId: id, Description: 'new' });
    expect(call(vault, 'DescribeKey', { KeyId: id }).KeyMetadata?.Description).toBe('new');
  });
});
