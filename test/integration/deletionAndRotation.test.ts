import { describe, expect, it, vi } from 'vitest';
import { auditPage } from '../../src-main/audit/page';
import { DAY_MS } from '../../src-shared/limits';
import { runMaintenance } from '../../src-main/kms/engine/maintenance';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { allPages, b64, call, failure, newKey } from '../helpers/kms';
import { freshVaultForEachTest, PIN } from '../helpers/vault';

let vault: Vault;
freshVaultForEachTest((fresh) => {
  vault = fresh;
});

const MINUTE_MS = 60_000;
const MISSING = '00000000-0000-0000-0000-000000000000';

/** Encrypts `text` under `keyId`; returns the blob and the key version its header (bytes 17..20, big-endian) names. */
function encryptText(keyId: string, text: string): { blob: string; version: number } {
  const blob = call(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64(text) }).CiphertextBlob ?? '';
  return { blob, version: Buffer.from(blob, 'base64').readUInt32BE(17) };
}

function decryptText(blob: string): string {
  return Buffer.from(call(vault, 'Decrypt', { CiphertextBlob: blob }).Plaintext ?? '', 'base64').toString();
}

/** The event names of the audit records that mention `arn`, oldest first. */
function auditedEvents(arn: string): string[] {
  vault.audit.flush();
  const rows = vault.db.prepare('SELECT event_name AS name, record FROM audit ORDER BY seq').all() as { name: string; record: string }[];
  return rows.filter((row) => row.record.includes(arn)).map((row) => row.name);
}

describe('ScheduleKeyDeletion and CancelKeyDeletion', () => {
  it('schedules deletion after 30 days by default, and cancelling leaves the key Disabled', () => {
    const keyId = newKey(vault);
    const arn = vault.store.keyArn(keyId);
    const before = Date.now();
    const scheduled = call(vault, 'ScheduleKeyDeletion', { KeyId: keyId });
    expect(scheduled).toMatchObject({ KeyId: arn, KeyState: 'PendingDeletion', PendingWindowInDays: 30 });
    expect((scheduled.DeletionDate ?? 0) * 1000).toBeGreaterThanOrEqual(before + 30 * DAY_MS);
    expect((scheduled.DeletionDate ?? 0) * 1000).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS);
    expect(call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata).toMatchObject({
      KeyState: 'PendingDeletion', Enabled: false, DeletionDate: scheduled.DeletionDate,
    });
    // AWS gives PendingDeletionWindowInDays only for a multi-Region key waiting on its replicas.
    expect(call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata?.PendingDeletionWindowInDays).toBeUndefined();
    expect(failure(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('x') })).toMatch(/^KMSInvalidStateException/);
    expect(failure(vault, 'ScheduleKeyDeletion', { KeyId: keyId })).toMatch(/^KMSInvalidStateException: .* is PendingDeletion/);

    expect(call(vault, 'CancelKeyDeletion', { KeyId: arn })).toEqual({ KeyId: arn });
    const metadata = call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata;
    expect(metadata?.KeyState).toBe('Disabled');
    expect(metadata?.DeletionDate).toBeUndefined();
    expect(metadata?.PendingDeletionWindowInDays).toBeUndefined();
    expect(vault.store.keys.get(keyId)).toMatchObject({ deletionDate: null, pendingWindowDays: null });
    expect(failure(vault, 'CancelKeyDeletion', { KeyId: keyId })).toMatch(/^KMSInvalidStateException: .* is Disabled, not PendingDeletion/);
    call(vault, 'EnableKey', { KeyId: keyId });
    expect(decryptText(encryptText(keyId, 'back').blob)).toBe('back');
  });

  it('takes a window of 7 to 30 days, from Enabled or Disabled keys', () => {
    const keyId = newKey(vault);
    expect(failure(vault, 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 6 })).toMatch(/^ValidationException: PendingWindowInDays must be from 7 to 30/);
    expect(failure(vault, 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 31 })).toMatch(/^ValidationException/);
    expect(call(vault, 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 }).PendingWindowInDays).toBe(7);
    const disabled = newKey(vault);
    call(vault, 'DisableKey', { KeyId: disabled });
    expect(call(vault, 'ScheduleKeyDeletion', { KeyId: disabled, PendingWindowInDays: 30 }).KeyState).toBe('PendingDeletion');
  });

  it('says NotFoundException for a key that does not exist', () => {
    expect(failure(vault, 'ScheduleKeyDeletion', { KeyId: MISSING })).toMatch(/^NotFoundException/);
    expect(failure(vault, 'CancelKeyDeletion', { KeyId: MISSING })).toMatch(/^NotFoundException/);
  });
});

describe('automatic rotation settings', () => {
  it('enables rotation every 365 days by default, or every RotationPeriodInDays, and disables it', () => {
    const keyId = newKey(vault);
    const arn = vault.store.keyArn(keyId);
    expect(call(vault, 'GetKeyRotationStatus', { KeyId: keyId })).toEqual({ KeyRotationEnabled: false, KeyId: arn });
    const before = Date.now();
    expect(call(vault, 'EnableKeyRotation', { KeyId: keyId })).toEqual({});
    const status = call(vault, 'GetKeyRotationStatus', { KeyId: keyId });
    expect(status).toMatchObject({ KeyRotationEnabled: true, KeyId: arn, RotationPeriodInDays: 365 });
    expect((status.NextRotationDate ?? 0) * 1000).toBeGreaterThanOrEqual(before + 365 * DAY_MS);
    expect((status.NextRotationDate ?? 0) * 1000).toBeLessThanOrEqual(Date.now() + 365 * DAY_MS);

    call(vault, 'EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    expect(call(vault, 'GetKeyRotationStatus', { KeyId: keyId }).RotationPeriodInDays).toBe(90);
    call(vault, 'EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 2560 });
    expect(call(vault, 'GetKeyRotationStatus', { KeyId: keyId }).RotationPeriodInDays).toBe(2560);
    expect(failure(vault, 'EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 89 })).toMatch(/^ValidationException: .*'rotationPeriodInDays' .* greater than or equal to 90/);
    expect(failure(vault, 'EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 2561 })).toMatch(/^ValidationException: .*'rotationPeriodInDays' .* less than or equal to 2560/);

    expect(call(vault, 'DisableKeyRotation', { KeyId: keyId })).toEqual({});
    expect(call(vault, 'GetKeyRotationStatus', { KeyId: keyId })).toEqual({ KeyRotationEnabled: false, KeyId: arn });
    expect(vault.store.keys.get(keyId)).toMatchObject({ rotationPeriodDays: null, nextRotationAt: null });
  });

  it('refuses Disabled keys with DisabledException and keys pending deletion with KMSInvalidStateException', () => {
    const keyId = newKey(vault);
    call(vault, 'EnableKeyRotation', { KeyId: keyId });
    call(vault, 'DisableKey', { KeyId: keyId });
    for (const op of ['EnableKeyRotation', 'DisableKeyRotation', 'RotateKeyOnDemand'] as const) {
      expect(failure(vault, op, { KeyId: keyId })).toMatch(/^DisabledException/);
    }
    expect(call(vault, 'GetKeyRotationStatus', { KeyId: keyId }).KeyRotationEnabled).toBe(true);

    call(vault, 'ScheduleKeyDeletion', { KeyId: keyId });
    for (const op of ['EnableKeyRotation', 'DisableKeyRotation', 'RotateKeyOnDemand'] as const) {
      expect(failure(vault, op, { KeyId: keyId })).toMatch(/^KMSInvalidStateException/);
    }
    expect(call(vault, 'GetKeyRotationStatus', { KeyId: keyId }).KeyRotationEnabled).toBe(false);
    call(vault, 'CancelKeyDeletion', { KeyId: keyId });
    expect(call(vault, 'GetKeyRotationStatus', { KeyId: keyId }).KeyRotationEnabled).toBe(true);
  });

  it('says NotFoundException for a key that does not exist', () => {
    for (const op of ['EnableKeyRotation', 'DisableKeyRotation', 'GetKeyRotationStatus', 'RotateKeyOnDemand', 'ListKeyRotations'] as const) {
      expect(failure(vault, op, { KeyId: MISSING })).toMatch(/^NotFoundException/);
    }
  });
});

describe('RotateKeyOnDemand and ListKeyRotations', () => {
  it('encrypts under the newest version and still decrypts every older ciphertext', () => {
    const keyId = newKey(vault);
    call(vault, 'EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    const schedule = call(vault, 'GetKeyRotationStatus', { KeyId: keyId }).NextRotationDate;
    const materials = [call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata?.CurrentKeyMaterialId];
    const blobs = [encryptText(keyId, 'version 1')];
    for (let version = 2; version <= 4; version++) {
      expect(call(vault, 'RotateKeyOnDemand', { KeyId: keyId })).toEqual({ KeyId: vault.store.keyArn(keyId) });
      materials.push(call(vault, 'DescribeKey', { KeyId: keyId }).KeyMetadata?.CurrentKeyMaterialId);
      blobs.push(encryptText(keyId, `version ${String(version)}`));
    }
    expect(blobs.map((b) => b.version)).toEqual([1, 2, 3, 4]);
    expect(blobs.map((b) => decryptText(b.blob))).toEqual(['version 1', 'version 2', 'version 3', 'version 4']);
    expect(new Set(materials).size).toBe(4);
    expect(vault.store.keys.get(keyId)?.onDemandRotations).toBe(3);
    expect(call(vault, 'GetKeyRotationStatus', { KeyId: keyId }).NextRotationDate).toBe(schedule);

    const rotations = call(vault, 'ListKeyRotations', { KeyId: keyId });
    expect(rotations.Truncated).toBe(false);
    expect(rotations.Rotations?.map((r) => [r.KeyId, r.KeyMaterialId, r.RotationType])).toEqual(materials.slice(1).map((m) => [keyId, m, 'ON_DEMAND']));
    for (const rotation of rotations.Rotations ?? []) expect((rotation.RotationDate ?? 0) * 1000).toBeLessThanOrEqual(Date.now());
    const all = call(vault, 'ListKeyRotations', { KeyId: keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }).Rotations ?? [];
    expect(all.map((r) => r.KeyMaterialId)).toEqual(materials);
    expect(all[0]).toEqual({ KeyId: keyId, KeyMaterialId: materials[0], KeyMaterialState: 'NON_CURRENT' });
    expect(all.at(-1)?.KeyMaterialState).toBe('CURRENT');
  });

  it('refuses an on-demand rotation within 20 minutes of an automatic one (ConflictException), not before', () => {
    const keyId = newKey(vault);
    call(vault, 'EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    vault.store.keys.update(keyId, { nextRotationAt: Date.now() + 21 * 60 * 1000 });
    expect(call(vault, 'RotateKeyOnDemand', { KeyId: keyId })).toEqual({ KeyId: vault.store.keyArn(keyId) });
    vault.store.keys.update(keyId, { nextRotationAt: Date.now() + 19 * 60 * 1000 });
    expect(failure(vault, 'RotateKeyOnDemand', { KeyId: keyId })).toMatch(/^ConflictException: An automatic rotation of .* is due at .*, within 20 minutes/);
    vault.store.keys.update(keyId, { nextRotationAt: Date.now() - 1000 }); // due, and not yet made
    expect(failure(vault, 'RotateKeyOnDemand', { KeyId: keyId })).toMatch(/^ConflictException: An automatic rotation of .* was due at .* and is under way/);
    expect(vault.store.keys.get(keyId)).toMatchObject({ onDemandRotations: 1, currentVersion: 2 });
  });

  it('allows 25 on-demand rotations per key, then LimitExceededException; lists them in pages', () => {
    const keyId = newKey(vault);
    for (let i = 0; i < 25; i++) call(vault, 'RotateKeyOnDemand', { KeyId: keyId });
    expect(failure(vault, 'RotateKeyOnDemand', { KeyId: keyId })).toMatch(/^LimitExceededException: .* 25 times/);
    expect(vault.store.keys.get(keyId)).toMatchObject({ onDemandRotations: 25, currentVersion: 26 });

    const pages = allPages(vault, 'ListKeyRotations', { KeyId: keyId, Limit: 10 });
    const seen = pages.flatMap((page) => (page.Rotations ?? []).map((r) => r.KeyMaterialId ?? ''));
    expect(pages.map((page) => page.Rotations?.length)).toEqual([10, 10, 5]);
    expect(seen).toEqual(vault.store.versions.list(keyId).slice(1).map((v) => v.materialId));
    expect(failure(vault, 'ListKeyRotations', { KeyId: keyId, Marker: 'not-a-marker' })).toMatch(/^InvalidMarkerException/);
    expect(failure(vault, 'ListKeyRotations', { KeyId: keyId, Limit: 0 })).toMatch(/^ValidationException/);
    expect(failure(vault, 'ListKeyRotations', { KeyId: keyId, Limit: 1001 })).toMatch(/^ValidationException/);
  });
});

describe('runMaintenance', () => {
  it('deletes a key once its deletion date has passed, with its aliases, tags and cached backing keys', () => {
    const keyId = newKey(vault);
    const arn = vault.store.keyArn(keyId);
    const now = Date.now();
    vault.store.aliases.insert({ aliasName: 'alias/doomed', keyId, createdAt: now, updatedAt: now });
    vault.store.tags.put(keyId, [{ TagKey: 'team', TagValue: 'ops' }]);
    encryptText(keyId, 'cache the backing key');
    const cached = vault.use(({ rootKey }) => vault.store.backingKey(rootKey.value, keyId, 1).material);
    call(vault, 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });

    runMaintenance(vault, now + 6 * DAY_MS);
    expect(call(vault, 'DescribeKey', { KeyId: 'alias/doomed' }).KeyMetadata?.KeyState).toBe('PendingDeletion');

    runMaintenance(vault, now + 8 * DAY_MS);
    expect(failure(vault, 'DescribeKey', { KeyId: keyId })).toMatch(/^NotFoundException/);
    expect(failure(vault, 'DescribeKey', { KeyId: 'alias/doomed' })).toMatch(/^NotFoundException: Alias/);
    expect(vault.store.aliases.get('alias/doomed')).toBeUndefined();
    expect(vault.store.tags.ofKey(keyId)).toEqual([]);
    expect(vault.store.versions.list(keyId)).toEqual([]);
    expect(cached.every((b) => b === 0)).toBe(true);
    expect(auditedEvents(arn)).toEqual(['CreateKey', 'Encrypt', 'ScheduleKeyDeletion', 'DescribeKey', 'DeleteKey', 'DescribeKey']);
    // Made by the vault on its own: a service event, as CloudTrail records what AWS does by itself.
    const [deleted] = auditPage(vault.db, { limit: 1, eventName: 'DeleteKey' }).records;
    expect(deleted).toMatchObject({ eventType: 'AwsServiceEvent', userIdentity: { invokedBy: 'AWS Internal' }, requestParameters: null, responseElements: null, resources: [{ ARN: arn }] });
  });

  it('runs by itself every minute while the vault is unlocked', () => {
    const keyId = newKey(vault);
    call(vault, 'EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    const doomed = newKey(vault);
    call(vault, 'ScheduleKeyDeletion', { KeyId: doomed, PendingWindowInDays: 7 });
    vault.lock();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    try {
      vault.unlock(PIN); // its timers now run on the fake clock
      vi.setSystemTime(Date.now() + 91 * DAY_MS);
      vi.advanceTimersByTime(59_000);
      expect(vault.store.keys.get(keyId)?.currentVersion).toBe(1);
      vi.advanceTimersByTime(1_000);
      expect(vault.store.keys.get(keyId)?.currentVersion).toBe(2);
      expect(vault.store.keys.get(doomed)).toBeUndefined();
    } finally {
      vault.lock();
      vi.useRealTimers();
    }
  });

  it('performs a due automatic rotation and advances the next one by the period', () => {
    const keyId = newKey(vault);
    const arn = vault.store.keyArn(keyId);
    call(vault, 'EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    const due = vault.store.keys.get(keyId)?.nextRotationAt ?? 0;
    const old = encryptText(keyId, 'before rotation');

    runMaintenance(vault, due - 1);
    expect(vault.store.keys.get(keyId)?.currentVersion).toBe(1);
    runMaintenance(vault, due + DAY_MS);
    runMaintenance(vault, due + DAY_MS);
    expect(vault.store.keys.get(keyId)).toMatchObject({ currentVersion: 2, nextRotationAt: due + 90 * DAY_MS, onDemandRotations: 0 });
    expect(call(vault, 'ListKeyRotations', { KeyId: keyId }).Rotations?.map((r) => [r.RotationType, r.RotationDate])).toEqual([['AUTOMATIC', (due + DAY_MS) / 1000]]);
    expect(encryptText(keyId, 'after rotation').version).toBe(2);
    expect(decryptText(old.blob)).toBe('before rotation');
    expect(auditedEvents(arn).filter((name) => name === 'RotateKey')).toHaveLength(1);
    const [rotated] = auditPage(vault.db, { limit: 1, eventName: 'RotateKey' }).records;
    const [first, second] = vault.store.versions.list(keyId).map((v) => v.materialId);
    expect(rotated).toMatchObject({
      eventType: 'AwsServiceEvent',
      userIdentity: { accountId: vault.record.accountId, invokedBy: 'AWS Internal' },
      requestParameters: null,
      serviceEventDetails: { rotationType: 'AUTOMATIC', keyId, keyOrigin: 'AWS_KMS', previousKeyMaterialId: first, currentKeyMaterialId: second },
      resources: [{ ARN: arn }],
    });
  });

  it('records an automatic rotation that fails as a failed service event, and tries again later', () => {
    const keyId = newKey(vault);
    call(vault, 'EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    const due = vault.store.keys.get(keyId)?.nextRotationAt ?? 0;
    vault.db.exec("CREATE TRIGGER no_versions BEFORE INSERT ON key_versions BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    runMaintenance(vault, due + DAY_MS);
    expect(vault.store.keys.get(keyId)).toMatchObject({ currentVersion: 1, nextRotationAt: due });
    const [failed] = auditPage(vault.db, { limit: 1, eventName: 'RotateKey' }).records;
    expect(failed).toMatchObject({ eventType: 'AwsServiceEvent', errorCode: 'KMSInternalException', resources: [{ ARN: vault.store.keyArn(keyId) }] });
    expect(failed).not.toHaveProperty('serviceEventDetails');
    vault.db.exec('DROP TRIGGER no_versions');
    runMaintenance(vault, due + DAY_MS + MINUTE_MS);
    expect(vault.store.keys.get(keyId)?.currentVersion).toBe(2);
  });

  it('waits twice as long before each retry of a change that keeps failing, up to a day, and afresh after unlocking', () => {
    const keyId = newKey(vault);
    const arn = vault.store.keyArn(keyId);
    call(vault, 'EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    const due = Date.now() - 1;
    vault.store.keys.update(keyId, { nextRotationAt: due });
    const failures = () => auditedEvents(arn).filter((name) => name === 'RotateKey').length;
    vault.db.exec("CREATE TRIGGER no_versions BEFORE INSERT ON key_versions BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    // Once a minute for a week, as the timer runs.
    const triedAt: number[] = [];
    for (let minute = 0; minute <= 7 * 24 * 60; minute += 1) {
      const before = failures();
      runMaintenance(vault, due + minute * MINUTE_MS);
      if (failures() > before) triedAt.push(minute);
    }
    expect(triedAt).toEqual([0, 1, 3, 7, 15, 31, 63, 127, 255, 511, 1023, 2047, 3487, 4927, 6367, 7807, 9247]);
    vault.lock();
    vault.unlock(PIN); // tries at once
    expect(failures()).toBe(triedAt.length + 1);
    vault.db.exec('DROP TRIGGER no_versions');
    runMaintenance(vault, Date.now() + MINUTE_MS);
    expect(vault.store.keys.get(keyId)?.currentVersion).toBe(2);
  });

  it('does not rotate a Disabled key until it is enabled again', () => {
    const keyId = newKey(vault);
    call(vault, 'EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    const due = vault.store.keys.get(keyId)?.nextRotationAt ?? 0;
    call(vault, 'DisableKey', { KeyId: keyId });
    runMaintenance(vault, due + DAY_MS);
    expect(vault.store.keys.get(keyId)?.currentVersion).toBe(1);
    call(vault, 'EnableKey', { KeyId: keyId });
    runMaintenance(vault, due + 2 * DAY_MS);
    expect(vault.store.keys.get(keyId)?.currentVersion).toBe(2);
  });

  it('runs when the vault is unlocked', () => {
    const keyId = newKey(vault);
    call(vault, 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    vault.store.keys.update(keyId, { deletionDate: Date.now() - 1 });
    vault.lock();
    vault.unlock(PIN);
    expect(vault.store.keys.get(keyId)).toBeUndefined();
  });
});
