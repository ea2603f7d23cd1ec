import { errorMembers, type AuditEvent } from '../../audit/record';
import type { KeyRow } from '../../vault/keysRepo';
import type { Vault } from '../lifecycle/vault';
import { DAY_MS } from '../../../src-shared/limits';
import { rotateKeyMaterial } from './rotation';

/** The audit event of a change Strongroom made by itself (deleting a key, rotating it, creating a managed key), or of its failure. */
function serviceEvent(vault: Vault, eventName: string, keyId: string, error?: unknown): AuditEvent {
  return {
    eventName,
    managementEvent: true,
    readOnly: false,
    userIdentity: vault.identity(),
    source: vault.source,
    requestParameters: { KeyId: keyId },
    ...(error === undefined ? {} : errorMembers(error)),
    resources: [vault.store.keyArn(keyId)],
  };
}

/** Makes a change Strongroom decided on by itself, committed with its audit record; `keyId` is the key it concerns. */
export function serviceChange<T>(vault: Vault, eventName: string, keyId: (result: T) => string, change: () => T): T {
  return vault.audit.recordWithChange(change, (result) => serviceEvent(vault, eventName, keyId(result)));
}

/** Deletes a key whose waiting period is over: the row delete cascades to its versions, aliases and tags. */
function deleteKey(vault: Vault, key: KeyRow): void {
  const { store } = vault;
  store.db.transaction(() => {
    store.keys.delete(key.keyId);
  })();
  store.clearCache(key.keyId);
}

/** Rotates a key automatically; the next rotation is a whole number of periods after the one due, and after `now`. */
function rotateAutomatically(vault: Vault, key: KeyRow, due: number, periodDays: number, now: number): void {
  const period = periodDays * DAY_MS;
  const nextRotationAt = due + (Math.floor((now - due) / period) + 1) * period;
  rotateKeyMaterial(vault, key, 'AUTOMATIC', { nextRotationAt }, now);
}

/** Runs one change with its audit record, or records its failure; a failure does not stop the others. */
function attempt(vault: Vault, eventName: string, key: KeyRow, change: () => void): void {
  try {
    serviceChange(vault, eventName, () => key.keyId, change);
  } catch (error) {
    vault.audit.record(serviceEvent(vault, eventName, key.keyId, error));
  }
}

/**
 * Does what is due at `now`: deletes keys whose deletion date has passed and
 * rotates Enabled keys whose automatic rotation is due (a Disabled key rotates
 * once it is enabled again), each in its own transaction with its own audit record.
 */
export function runMaintenance(vault: Vault, now: number): void {
  for (const keyId of vault.store.keys.dueAt(now)) {
    if (!vault.isUnlocked) return;
    const key = vault.store.keys.get(keyId);
    if (key === undefined) continue;
    const { deletionDate, nextRotationAt, rotationPeriodDays } = key;
    if (key.keyState === 'PendingDeletion' && deletionDate !== null && deletionDate <= now) {
      attempt(vault, 'DeleteKey', key, () => {
        deleteKey(vault, key);
      });
    } else if (key.keyState === 'Enabled' && nextRotationAt !== null && nextRotationAt <= now && rotationPeriodDays !== null) {
      attempt(vault, 'RotateKey', key, () => {
        rotateAutomatically(vault, key, nextRotationAt, rotationPeriodDays, now);
      });
    }
  }
}
