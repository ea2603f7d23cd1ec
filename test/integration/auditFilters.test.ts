// LookupEvents' filters, which the interface's audit screen and a key's "last used" read: each alone, together, and with paging.
import { beforeEach, describe, expect, it } from 'vitest';
import { invoke } from '../../src-main/kms/pipeline/invoke';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import type { Caller } from '../../src-shared/caller';
import { b64, call, failure, invokeAsRoot, newKey } from '../helpers/kms';
import { freshVaultForEachTest } from '../helpers/vault';

type Page = { records: { eventName: string; errorCode?: string; resources: { ARN: string }[]; userIdentity: { arn?: string }; strongroomSequence: number }[]; nextBeforeSequence?: number };

describe('LookupEvents filters', () => {
  let vault: Vault;
  freshVaultForEachTest((v) => (vault = v));
  let first: string;
  let second: string;

  const lookup = (request: Record<string, unknown>): Page => invokeAsRoot(vault, 'LookupEvents', { limit: 500, ...request }) as Page;
  const names = (request: Record<string, unknown>): string[] => lookup(request).records.map((r) => r.eventName);

  beforeEach(() => {
    first = newKey(vault, 'first');
    second = newKey(vault, 'second');
    call(vault, 'CreateAlias', { AliasName: 'alias/first', TargetKeyId: first });
    call(vault, 'Encrypt', { KeyId: first, Plaintext: b64('one') });
    call(vault, 'GenerateDataKey', { KeyId: second, KeySpec: 'AES_256' });
    call(vault, 'DescribeKey', { KeyId: second });
    failure(vault, 'Encrypt', { KeyId: 'alias/missing', Plaintext: b64('two') });
  });

  it('finds events by the start of their name, in any case', () => {
    expect(names({ eventName: 'enc' })).toEqual(['Encrypt', 'Encrypt']);
    expect(names({ eventName: 'GENERATEDATA' })).toEqual(['GenerateDataKey']);
    expect(names({ eventName: 'crypt' })).toEqual([]);
    expect(names({ eventName: '%' })).toEqual([]);
  });

  it('finds one key by id, key ARN, alias and alias ARN, and only its records', () => {
    const arn = (call(vault, 'DescribeKey', { KeyId: first }).KeyMetadata?.Arn ?? '');
    const expected = ['DescribeKey', 'Encrypt', 'CreateAlias', 'CreateKey'];
    for (const keyId of [first, arn, 'alias/first', arn.replace(`key/${first}`, 'alias/first')]) expect(names({ keyId })).toEqual(expected);
    expect(names({ keyId: second })).toEqual(['DescribeKey', 'GenerateDataKey', 'CreateKey']);
    expect(failure(vault, 'LookupEvents', { limit: 1, keyId: 'alias/missing' })).toMatch(/^NotFoundException/);
  });

  it('gives the last cryptographic use of a key', () => {
    const last = lookup({ keyId: second, dataPlaneOnly: true, limit: 1 }).records;
    expect(last.map((r) => r.eventName)).toEqual(['GenerateDataKey']);
  });

  it('finds errors, and the calls of one principal', () => {
    expect(lookup({ errorsOnly: true }).records.map((r) => `${r.eventName} ${r.errorCode ?? ''}`)).toEqual(['Encrypt NotFoundException']);
    const accountId = vault.record.accountId;
    const mallory: Caller = { principal: { type: 'User', accountId, arn: `arn:aws:iam::${accountId}:user/Mallory` }, door: 'cli' };
    expect(() => invoke(vault, mallory, 'DescribeKey', { KeyId: first })).toThrow(/is not authorized/);
    expect(names({ principal: 'user/mallory' })).toEqual(['DescribeKey']);
    expect(names({ principal: ':ROOT' })).toContain('CreateKey');
    expect(names({ principal: ':root', errorsOnly: true, eventName: 'encrypt', keyId: first })).toEqual([]);
  });

  it('finds events in a time range, both ends included, and pages under a filter', () => {
    const all = lookup({ eventName: 'CreateKey' }).records;
    const times = all.map((r) => Date.parse((r as unknown as { eventTime: string }).eventTime) / 1000);
    expect(lookup({ startTime: Math.min(...times), endTime: Math.max(...times), eventName: 'CreateKey' }).records).toHaveLength(2);
    expect(lookup({ startTime: Math.max(...times) + 3600 }).records).toEqual([]);
    expect(lookup({ endTime: Math.min(...times) - 3600 }).records).toEqual([]);
    const page1 = lookup({ eventName: 'createkey', limit: 1 });
    expect(page1.records).toHaveLength(1);
    const page2 = lookup({ eventName: 'createkey', limit: 1, beforeSequence: page1.nextBeforeSequence });
    expect(page2.records).toHaveLength(1);
    expect(page2.nextBeforeSequence).toBeUndefined();
    expect(page2.records[0]?.strongroomSequence).toBeLessThan(page1.records[0]?.strongroomSequence ?? 0);
  });
});
