import { toErrorShape } from '../../../src-shared/errors';
import type { KeyRow } from '../../vault/keysRepo';
import type { Vault } from '../lifecycle/vault';
import { DAY_MS, rotateKeyMaterial } from './rotation';

/**
 * Records in the audit log a change Strongroom made by itself (deleting a
 * key, rotating it, creating a managed key), or its failure.
 */
export function auditServiceEvent(vault: Vault, eventName: string, keyId: string, error?: unknown): void {
  const failure = error === undefined ? undefined : toErrorShape(error);
  vault.audit.record({
    eventName,
    managementEvent: true,
    readOnly: false,
    userIdentity: vault.identity(),
    source: vault.source,
    requestParameters: { KeyId: keyId },
    ...(failure === undefined ? {} : { errorCode: failure.__type, errorMessage: failure.message }),
    resources: [vault.store.keyArn(keyId)],
  });
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

/** Runs one change and records it (or its failure) in the audit log; a failure does not stop the others. */
function attempt(vault: Vault, eventName: string, key: KeyRow, change: () => void): void {
  try {
    change();
  } catch (error) {
    auditServiceEvent(vault, eventName, key.keyId, error);
    return;
  }
  auditServiceEvent(vault, eventName, key.keyId);
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
