import { describe, expect, it } from 'vitest';
import { auditPage } from '../../src-main/audit/page';
import { KmsError } from '../../src-shared/errors';
import { ensureManagedKey } from '../../src-main/kms/engine/managedKeys';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { b64, call, failure } from '../helpers/kms';
import { freshVaultForEachTest } from '../helpers/vault';

let vault: Vault;
freshVaultForEachTest((fresh) => {
  vault = fresh;
});

describe('ensureManagedKey', () => {
  it('creates the key behind alias/strongroom/<feature> once, then returns the same key', () => {
    const keyId = ensureManagedKey(vault, 'backups');
    expect(ensureManagedKey(vault, 'backups')).toBe(keyId);
    expect(ensureManagedKey(vault, 'sync-2')).not.toBe(keyId);
    expect(vault.store.keys.count()).toBe(2);
    expect(call(vault, 'DescribeKey', { KeyId: 'alias/strongroom/backups' }).KeyMetadata).toMatchObject({
      KeyId: keyId, KeyManager: 'AWS', KeyState: 'Enabled', Description: 'Strongroom managed key for backups', KeySpec: 'SYMMETRIC_DEFAULT',
    });
    expect(call(vault, 'GetKeyRotationStatus', { KeyId: keyId })).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    const created = auditPage(vault.db, { limit: 10, eventName: 'CreateKey' }).records.filter((r) => JSON.stringify(r.resources).includes(vault.store.keyArn(keyId)));
    // Made by the vault for its own feature: a service event, not a call of the account root.
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ eventType: 'AwsServiceEvent', userIdentity: { invokedBy: 'AWS Internal' }, requestParameters: null });
  });

  it('refuses feature names that are not lower-case letters, digits and dashes', () => {
    for (const feature of ['', 'Backups', 'a/b', 'a_b', 'x'.repeat(65)]) {
      expect(() => ensureManagedKey(vault, feature)).toThrow(KmsError);
    }
    expect(vault.store.keys.count()).toBe(0);
  });
});

describe('a managed key', () => {
  it('can be used for cryptography but refuses every change with AccessDeniedException', () => {
    const keyId = ensureManagedKey(vault, 'backups');
    const blob = call(vault, 'Encrypt', { KeyId: 'alias/strongroom/backups', Plaintext: b64('secret') }).CiphertextBlob;
    expect(Buffer.from(call(vault, 'Decrypt', { CiphertextBlob: blob }).Plaintext ?? '', 'base64').toString()).toBe('secret');
    const reEncrypted = call(vault, 'ReEncrypt', { CiphertextBlob: blob, DestinationKeyId: keyId }).CiphertextBlob;
    expect(call(vault, 'Decrypt', { CiphertextBlob: reEncrypted }).KeyId).toBe(vault.store.keyArn(keyId));
    expect(call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata?.KeyManager).toBe('AWS');

    const refused: [Parameters<typeof failure>[1], Record<string, unknown>][] = [
      ['DisableKey', {}],
      ['ScheduleKeyDeletion', {}],
      ['DisableKeyRotation', {}],
      ['EnableKeyRotation', { RotationPeriodInDays: 90 }],
      ['RotateKeyOnDemand', {}],
      ['UpdateKeyDescription', { Description: 'mine now' }],
      ['EnableKey', {}],
      ['TagResource', { Tags: [{ TagKey: 'owner', TagValue: 'me' }] }],
      ['UntagResource', { TagKeys: ['owner'] }],
    ];
    for (const [op, request] of refused) {
      expect(failure(vault, op, { KeyId: keyId, ...request })).toMatch(/^AccessDeniedException: .* is an AWS managed key/);
    }
    expect(failure(vault, 'CreateAlias', { AliasName: 'alias/mine', TargetKeyId: keyId })).toMatch(/^AccessDeniedException: .* is an AWS managed key/);
    expect(vault.store.keys.get(keyId)).toMatchObject({
      keyState: 'Enabled', description: 'Strongroom managed key for backups', rotationPeriodDays: 365, currentVersion: 1, deletionDate: null,
    });
    expect(call(vault, 'ListKeyRotations', { KeyId: keyId }).Rotations).toEqual([]);
  });
});
