import { describe, expect, it } from 'vitest';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { allPages, b64, call, failure, newKey } from '../helpers/kms';
import { freshVaultForEachTest } from '../helpers/vault';

let vault: Vault;
freshVaultForEachTest((fresh) => {
  vault = fresh;
});

function schedulePendingDeletion(keyId: string): void {
  call(vault, 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
}

/** A key Strongroom manages itself (KeyManager AWS) with the alias alias/strongroom/test. */
function managedKey(): string {
  const keyId = newKey(vault);
  vault.store.keys.update(keyId, { keyManager: 'AWS' });
  vault.store.aliases.insert({ aliasName: 'alias/strongroom/test', keyId, createdAt: Date.now(), updatedAt: Date.now() });
  return keyId;
}


const arn = (keyId: string): string => vault.store.keyArn(keyId);
const tags = (count: number, prefix = 'k'): { TagKey: string; TagValue: string }[] =>
  Array.from({ length: count }, (_, i) => ({ TagKey: `${prefix}${String(i).padStart(2, '0')}`, TagValue: `v${String(i)}` }));

describe('CreateAlias, UpdateAlias, DeleteAlias', () => {
  it('creates an alias that DescribeKey and Encrypt accept by name and ARN, and that follows UpdateAlias', () => {
    const first = newKey(vault);
    const second = newKey(vault);
    const aliasArn = vault.store.aliasArn('alias/payroll');
    expect(call(vault, 'CreateAlias', { AliasName: 'alias/payroll', TargetKeyId: first })).toEqual({});
    for (const name of ['alias/payroll', aliasArn]) {
      expect(call(vault, 'DescribeKey', { KeyId: name }).KeyMetadata?.KeyId).toBe(first);
      expect(call(vault, 'Encrypt', { KeyId: name, Plaintext: b64('salary') }).KeyId).toBe(arn(first));
      expect(call(vault, 'GenerateDataKey', { KeyId: name, KeySpec: 'AES_256' }).KeyId).toBe(arn(first));
      // Operations that manage a key take its id or ARN only, as AWS documents them.
      for (const [op, request] of [['DisableKey', {}], ['ScheduleKeyDeletion', {}], ['TagResource', { Tags: [] }], ['EnableKeyRotation', {}], ['UpdateKeyDescription', { Description: 'x' }]] as const) {
        expect(failure(vault, op, { KeyId: name, ...request })).toMatch(/^NotFoundException: Invalid keyId .*: this operation takes a key id or key ARN, not an alias/);
      }
    }
    expect(call(vault, 'DescribeKey', { KeyId: first }).KeyMetadata).toMatchObject({ KeyState: 'Enabled', Description: '' });
    const [created] = call(vault, 'ListAliases', {}).Aliases ?? [];
    expect(created).toEqual({ AliasName: 'alias/payroll', AliasArn: aliasArn, TargetKeyId: first, CreationDate: created?.CreationDate, LastUpdatedDate: created?.CreationDate });
    expect(Math.abs((created?.CreationDate ?? 0) - Date.now() / 1000)).toBeLessThan(60);

    expect(call(vault, 'UpdateAlias', { AliasName: 'alias/payroll', TargetKeyId: arn(second) })).toEqual({});
    for (const name of ['alias/payroll', aliasArn]) {
      expect(call(vault, 'DescribeKey', { KeyId: name }).KeyMetadata?.KeyId).toBe(second);
      const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: name, Plaintext: b64('salary') });
      expect(call(vault, 'Decrypt', { CiphertextBlob }).KeyId).toBe(arn(second));
    }
    const [updated] = call(vault, 'ListAliases', {}).Aliases ?? [];
    expect(updated?.TargetKeyId).toBe(second);
    expect(updated?.CreationDate).toBe(created?.CreationDate);
    expect(updated?.LastUpdatedDate).toBeGreaterThanOrEqual(created?.LastUpdatedDate ?? Infinity);

    expect(call(vault, 'DeleteAlias', { AliasName: 'alias/payroll' })).toEqual({});
    expect(failure(vault, 'DescribeKey', { KeyId: 'alias/payroll' })).toMatch(/^NotFoundException: Alias/);
    expect(call(vault, 'DescribeKey', { KeyId: second }).KeyMetadata?.KeyState).toBe('Enabled');
    expect(call(vault, 'ListAliases', {})).toEqual({ Aliases: [], Truncated: false });
  });

  it('refuses bad and reserved names, duplicates, missing keys and alias targets', () => {
    const key = newKey(vault);
    expect(failure(vault, 'CreateAlias', { AliasName: 'payroll', TargetKeyId: key })).toMatch(/^ValidationException: Alias must start with the prefix "alias\/"/);
    expect(failure(vault, 'CreateAlias', { AliasName: 'alias/', TargetKeyId: key })).toMatch(/^InvalidAliasNameException/);
    expect(failure(vault, 'CreateAlias', { AliasName: 'alias/aws/s3', TargetKeyId: key })).toMatch(/^InvalidAliasNameException: alias\/aws\/s3 begins with "alias\/aws\/", which AWS reserves/);
    expect(failure(vault, 'CreateAlias', { AliasName: 'alias/pay roll', TargetKeyId: key })).toMatch(/^ValidationException: 1 validation error detected: Value at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    // The model's pattern admits ':' (alias ARNs share the type); a name may not have it.
    expect(failure(vault, 'CreateAlias', { AliasName: 'alias/pay:roll', TargetKeyId: key })).toMatch(/^ValidationException: alias\/pay:roll contains invalid characters for an alias/);
    expect(failure(vault, 'CreateAlias', { AliasName: `alias/${'x'.repeat(251)}`, TargetKeyId: key })).toMatch(/^ValidationException/);
    expect(failure(vault, 'CreateAlias', { AliasName: 'alias/strongroom/mine', TargetKeyId: key })).toMatch(/^AccessDeniedException: alias\/strongroom\/mine is reserved for Strongroom's managed keys/);
    expect(failure(vault, 'CreateAlias', { AliasName: 'alias/x', TargetKeyId: '00000000-0000-0000-0000-000000000000' })).toMatch(/^NotFoundException: Key '/);
    call(vault, 'CreateAlias', { AliasName: 'alias/x', TargetKeyId: key });
    expect(failure(vault, 'CreateAlias', { AliasName: 'alias/x', TargetKeyId: newKey(vault) })).toMatch(/^AlreadyExistsException: Alias arn:aws:kms:.*:alias\/x already exists/);
    expect(failure(vault, 'CreateAlias', { AliasName: 'alias/y', TargetKeyId: 'alias/x' })).toMatch(/^ValidationException: TargetKeyId must be a key id or key ARN/);
    expect(failure(vault, 'CreateAlias', { AliasName: 'alias/y', TargetKeyId: vault.store.aliasArn('alias/x') })).toMatch(/^ValidationException: TargetKeyId must be a key id or key ARN/);
    expect(call(vault, 'ListAliases', {}).Aliases?.map((a) => a.AliasName)).toEqual(['alias/x']);
  });

  it('refuses UpdateAlias and DeleteAlias on missing aliases and keys, alias targets and other kinds of key', () => {
    const key = newKey(vault);
    const other = newKey(vault);
    call(vault, 'CreateAlias', { AliasName: 'alias/a', TargetKeyId: key });
    expect(failure(vault, 'UpdateAlias', { AliasName: 'alias/none', TargetKeyId: key })).toMatch(/^NotFoundException: Alias .*alias\/none is not found/);
    expect(failure(vault, 'UpdateAlias', { AliasName: 'alias/a', TargetKeyId: '00000000-0000-0000-0000-000000000000' })).toMatch(/^NotFoundException/);
    expect(failure(vault, 'UpdateAlias', { AliasName: 'alias/a', TargetKeyId: 'alias/a' })).toMatch(/^ValidationException: TargetKeyId/);
    expect(failure(vault, 'DeleteAlias', { AliasName: 'alias/none' })).toMatch(/^NotFoundException: Alias .*alias\/none is not found/);
    expect(failure(vault, 'DeleteAlias', { AliasName: 'payroll' })).toMatch(/^ValidationException: Alias must start with the prefix "alias\/"/);
    expect(failure(vault, 'UpdateAlias', { AliasName: 'payroll', TargetKeyId: key })).toMatch(/^ValidationException: Alias must start with the prefix "alias\/"/);
    vault.store.keys.update(other, { keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' });
    expect(failure(vault, 'UpdateAlias', { AliasName: 'alias/a', TargetKeyId: other })).toMatch(/^ValidationException: alias\/a points at a SYMMETRIC_DEFAULT key for ENCRYPT_DECRYPT/);
    expect(call(vault, 'DescribeKey', { KeyId: 'alias/a' }).KeyMetadata?.KeyId).toBe(key);
  });

  it('refuses a target pending deletion, but moves and deletes the aliases of such a key', () => {
    const key = newKey(vault);
    const doomed = newKey(vault);
    call(vault, 'CreateAlias', { AliasName: 'alias/a', TargetKeyId: key });
    call(vault, 'CreateAlias', { AliasName: 'alias/d', TargetKeyId: doomed });
    call(vault, 'CreateAlias', { AliasName: 'alias/e', TargetKeyId: doomed });
    schedulePendingDeletion(doomed);
    expect(failure(vault, 'CreateAlias', { AliasName: 'alias/b', TargetKeyId: doomed })).toMatch(/^KMSInvalidStateException: .* is PendingDeletion/);
    expect(failure(vault, 'UpdateAlias', { AliasName: 'alias/a', TargetKeyId: doomed })).toMatch(/^KMSInvalidStateException/);
    expect(call(vault, 'UpdateAlias', { AliasName: 'alias/d', TargetKeyId: key })).toEqual({});
    expect(call(vault, 'DeleteAlias', { AliasName: 'alias/e' })).toEqual({});
    expect(call(vault, 'ListAliases', {}).Aliases?.map((a) => [a.AliasName, a.TargetKeyId])).toEqual([['alias/a', key], ['alias/d', key]]);
  });
});

describe('ListAliases', () => {
  it('pages by name with markers, filters by key, and refuses bad limits and markers', () => {
    const [one, two] = [newKey(vault), newKey(vault)];
    const names = ['alias/c', 'alias/a', 'alias/g', 'alias/e', 'alias/b', 'alias/f', 'alias/d'];
    names.forEach((name, i) => call(vault, 'CreateAlias', { AliasName: name, TargetKeyId: i % 2 === 0 ? one : two }));
    const pages = allPages(vault, 'ListAliases', { Limit: 3 });
    expect(pages.map((p) => p.Aliases?.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((p) => p.Aliases ?? []).map((a) => a.AliasName)).toEqual([...names].sort());
    const ofTwo = allPages(vault, 'ListAliases', { KeyId: arn(two), Limit: 2 });
    expect(ofTwo.flatMap((p) => p.Aliases ?? []).map((a) => a.AliasName)).toEqual(['alias/a', 'alias/e', 'alias/f']);
    expect(ofTwo.flatMap((p) => p.Aliases ?? []).every((a) => a.TargetKeyId === two)).toBe(true);
    expect(call(vault, 'ListAliases', { KeyId: arn(two) }).Aliases).toHaveLength(3);
    // As AWS documents it, ListAliases (like every operation that manages a key) takes a key id or key ARN, not an alias.
    expect(failure(vault, 'ListAliases', { KeyId: 'alias/a' })).toMatch(/^NotFoundException: Invalid keyId alias\/a: this operation takes a key id or key ARN/);
    expect(failure(vault, 'ListAliases', { KeyId: '00000000-0000-0000-0000-000000000000' })).toMatch(/^NotFoundException/);
    expect(failure(vault, 'ListAliases', { Limit: 101 })).toMatch(/^ValidationException: Limit must be between 1 and 100/);
    expect(failure(vault, 'ListAliases', { Limit: 0 })).toMatch(/^ValidationException/);
    expect(failure(vault, 'ListAliases', { Marker: 'not-a-marker' })).toMatch(/^InvalidMarkerException/);
    call(vault, 'TagResource', { KeyId: one, Tags: tags(2) });
    const tagMarker = call(vault, 'ListResourceTags', { KeyId: one, Limit: 1 }).NextMarker;
    expect(failure(vault, 'ListAliases', { Marker: tagMarker })).toMatch(/^InvalidMarkerException/);
  });

  it('returns 50 aliases by default and 100 at most', () => {
    const keys = [newKey(vault), newKey(vault), newKey(vault)];
    for (let i = 0; i < 101; i += 1) call(vault, 'CreateAlias', { AliasName: `alias/n${String(i).padStart(3, '0')}`, TargetKeyId: keys[i % 3] });
    const first = call(vault, 'ListAliases', {});
    expect(first.Aliases).toHaveLength(50);
    expect(first.Truncated).toBe(true);
    expect(call(vault, 'ListAliases', { Limit: 100 }).Aliases).toHaveLength(100);
    expect(allPages(vault, 'ListAliases', {}).map((p) => p.Aliases?.length)).toEqual([50, 50, 1]);
  });

  it('allows 50 aliases per key, by CreateAlias or UpdateAlias (LimitExceededException)', () => {
    const [full, other] = [newKey(vault), newKey(vault)];
    for (let i = 0; i < 50; i += 1) call(vault, 'CreateAlias', { AliasName: `alias/full-${String(i)}`, TargetKeyId: full });
    expect(failure(vault, 'CreateAlias', { AliasName: 'alias/one-more', TargetKeyId: full })).toMatch(/^LimitExceededException: .* already has 50 aliases/);
    call(vault, 'CreateAlias', { AliasName: 'alias/elsewhere', TargetKeyId: other });
    expect(failure(vault, 'UpdateAlias', { AliasName: 'alias/elsewhere', TargetKeyId: full })).toMatch(/^LimitExceededException/);
    expect(call(vault, 'DescribeKey', { KeyId: 'alias/elsewhere' }).KeyMetadata?.KeyId).toBe(other);
    call(vault, 'UpdateAlias', { AliasName: 'alias/full-0', TargetKeyId: full }); // pointing an alias at its own key again takes no room
    call(vault, 'DeleteAlias', { AliasName: 'alias/full-1' });
    call(vault, 'UpdateAlias', { AliasName: 'alias/elsewhere', TargetKeyId: full });
    expect(call(vault, 'ListAliases', { KeyId: full, Limit: 100 }).Aliases).toHaveLength(50);
  });
});

describe('TagResource, UntagResource, ListResourceTags', () => {
  it('merges, replaces and removes tags', () => {
    const key = newKey(vault);
    expect(call(vault, 'TagResource', { KeyId: key, Tags: [{ TagKey: 'team', TagValue: 'finance' }, { TagKey: 'env', TagValue: 'prod' }] })).toEqual({});
    expect(call(vault, 'TagResource', { KeyId: arn(key), Tags: [{ TagKey: 'team', TagValue: 'payroll' }, { TagKey: 'cost', TagValue: '' }] })).toEqual({});
    expect(call(vault, 'ListResourceTags', { KeyId: key })).toEqual({
      Tags: [{ TagKey: 'cost', TagValue: '' }, { TagKey: 'env', TagValue: 'prod' }, { TagKey: 'team', TagValue: 'payroll' }],
      Truncated: false,
    });
    expect(call(vault, 'UntagResource', { KeyId: key, TagKeys: ['env', 'absent'] })).toEqual({});
    expect(call(vault, 'ListResourceTags', { KeyId: arn(key) }).Tags?.map((t) => t.TagKey)).toEqual(['cost', 'team']);
  });

  it('refuses reserved and repeated tag keys, and more than 50 tags, changing nothing', () => {
    const key = newKey(vault);
    call(vault, 'TagResource', { KeyId: key, Tags: tags(45) });
    expect(failure(vault, 'TagResource', { KeyId: key, Tags: [{ TagKey: 'aws:owner', TagValue: 'x' }] })).toMatch(/^TagException: Tag keys beginning with "aws:" are reserved/);
    expect(failure(vault, 'TagResource', { KeyId: key, Tags: [{ TagKey: 'AWS:owner', TagValue: 'x' }] })).toMatch(/^TagException/);
    expect(failure(vault, 'TagResource', { KeyId: key, Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'a', TagValue: '2' }] })).toMatch(/^TagException: The tag key a appears more than once/);
    expect(failure(vault, 'TagResource', { KeyId: key, Tags: [{ TagKey: 'k', TagValue: 'x'.repeat(257) }] })).toMatch(/^ValidationException/);
    expect(failure(vault, 'TagResource', { KeyId: key, Tags: [...tags(3), ...tags(6, 'new')] })).toMatch(/^LimitExceededException: A key can have at most 50 tags; this would make 51/);
    expect(vault.store.tags.ofKey(key)).toEqual(tags(45));
    call(vault, 'TagResource', { KeyId: key, Tags: [{ TagKey: 'k00', TagValue: 'changed' }, ...tags(5, 'new')] });
    expect(vault.store.tags.ofKey(key)).toHaveLength(50);
    expect(failure(vault, 'TagResource', { KeyId: key, Tags: [{ TagKey: 'one-more', TagValue: '' }] })).toMatch(/^LimitExceededException/);
    expect(failure(vault, 'TagResource', { KeyId: '00000000-0000-0000-0000-000000000000', Tags: tags(1) })).toMatch(/^NotFoundException/);
    expect(failure(vault, 'UntagResource', { KeyId: '00000000-0000-0000-0000-000000000000', TagKeys: ['k00'] })).toMatch(/^NotFoundException/);
    expect(failure(vault, 'ListResourceTags', { KeyId: '00000000-0000-0000-0000-000000000000' })).toMatch(/^NotFoundException/);
  });

  it('pages tags with markers and refuses bad limits and markers', () => {
    const key = newKey(vault);
    call(vault, 'TagResource', { KeyId: key, Tags: tags(12) });
    const pages = allPages(vault, 'ListResourceTags', { KeyId: key, Limit: 5 });
    expect(pages.map((p) => p.Tags?.length)).toEqual([5, 5, 2]);
    expect(pages.flatMap((p) => p.Tags ?? [])).toEqual(tags(12));
    expect(call(vault, 'ListResourceTags', { KeyId: key, Limit: 12 })).toEqual({ Tags: tags(12), Truncated: false });
    expect(failure(vault, 'ListResourceTags', { KeyId: key, Limit: 51 })).toMatch(/^ValidationException: Limit must be between 1 and 50/);
    expect(failure(vault, 'ListResourceTags', { KeyId: key, Marker: 'bm90IGEgbWFya2Vy' })).toMatch(/^InvalidMarkerException: The marker is not one this vault returned/);
    call(vault, 'CreateAlias', { AliasName: 'alias/a', TargetKeyId: key });
    call(vault, 'CreateAlias', { AliasName: 'alias/b', TargetKeyId: key });
    const aliasMarker = call(vault, 'ListAliases', { Limit: 1 }).NextMarker;
    expect(failure(vault, 'ListResourceTags', { KeyId: key, Marker: aliasMarker })).toMatch(/^InvalidMarkerException/);
  });

  it('refuses tag changes on a key pending deletion but still lists its tags', () => {
    const key = newKey(vault);
    call(vault, 'TagResource', { KeyId: key, Tags: tags(2) });
    schedulePendingDeletion(key);
    expect(failure(vault, 'TagResource', { KeyId: key, Tags: tags(1, 'x') })).toMatch(/^KMSInvalidStateException/);
    expect(failure(vault, 'UntagResource', { KeyId: key, TagKeys: ['k00'] })).toMatch(/^KMSInvalidStateException/);
    expect(call(vault, 'ListResourceTags', { KeyId: key }).Tags).toEqual(tags(2));
  });
});

describe('managed keys', () => {
  it('cannot be tagged, untagged or re-aliased, and their aliases cannot be changed', () => {
    const managed = managedKey();
    const mine = newKey(vault);
    call(vault, 'CreateAlias', { AliasName: 'alias/mine', TargetKeyId: mine });
    const denied = /^AccessDeniedException/;
    expect(failure(vault, 'TagResource', { KeyId: managed, Tags: tags(1) })).toMatch(/^AccessDeniedException: .* is an AWS managed key .* kms:TagResource/);
    expect(failure(vault, 'UntagResource', { KeyId: managed, TagKeys: ['k00'] })).toMatch(denied);
    expect(failure(vault, 'CreateAlias', { AliasName: 'alias/theirs', TargetKeyId: managed })).toMatch(/^AccessDeniedException: .* kms:CreateAlias/);
    expect(failure(vault, 'UpdateAlias', { AliasName: 'alias/mine', TargetKeyId: managed })).toMatch(/^AccessDeniedException: .* kms:UpdateAlias/);
    expect(failure(vault, 'UpdateAlias', { AliasName: 'alias/strongroom/test', TargetKeyId: mine })).toMatch(/^AccessDeniedException: alias\/strongroom\/test is reserved/);
    expect(failure(vault, 'DeleteAlias', { AliasName: 'alias/strongroom/test' })).toMatch(denied);
    vault.store.aliases.insert({ aliasName: 'alias/legacy', keyId: managed, createdAt: Date.now(), updatedAt: Date.now() });
    expect(failure(vault, 'UpdateAlias', { AliasName: 'alias/legacy', TargetKeyId: mine })).toMatch(/^AccessDeniedException: .* kms:UpdateAlias/);
    expect(failure(vault, 'DeleteAlias', { AliasName: 'alias/legacy' })).toMatch(/^AccessDeniedException: .* kms:DeleteAlias/);

    expect(call(vault, 'DescribeKey', { KeyId: 'alias/strongroom/test' }).KeyMetadata).toMatchObject({ KeyId: managed, KeyManager: 'AWS' });
    expect(call(vault, 'ListAliases', { KeyId: managed }).Aliases?.map((a) => a.AliasName)).toEqual(['alias/legacy', 'alias/strongroom/test']);
    expect(call(vault, 'ListResourceTags', { KeyId: managed })).toEqual({ Tags: [], Truncated: false });
    expect(call(vault, 'DescribeKey', { KeyId: 'alias/mine' }).KeyMetadata?.KeyId).toBe(mine);
  });
});
