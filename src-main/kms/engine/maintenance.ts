import { auditEvent } from '../../audit/events';
import type { AuditEvent } from '../../audit/record';
import type { KeyRow } from '../../vault/keysRepo';
import type { Vault } from '../lifecycle/vault';
import { DAY_MS } from '../../../src-shared/limits';
import { deleteImportedMaterial } from './importedMaterial';
import { rotateKeyMaterial } from './rotation';
import { destroyTokenKey } from './tokenKeys';

/** What a change Strongroom made by itself concerned: its key, and what CloudTrail's serviceEventDetails say of it. */
interface ServiceOutcome {
  keyId: string;
  details?: Readonly<Record<string, string>> | undefined;
}

/**
 * The audit event of a change Strongroom made by itself (deleting a key,
 * rotating it, creating a managed key), or of its failure: made by the
 * service, not by whoever holds the vault, with no request, as CloudTrail
 * records what AWS does on its own.
 */
function serviceEvent(vault: Vault, eventName: string, { keyId, details }: ServiceOutcome, error?: unknown): AuditEvent {
  return auditEvent({
    eventName,
    actor: { service: vault.source },
    kind: 'change',
    ...(details === undefined ? {} : { serviceDetails: details }),
    ...(error === undefined ? {} : { error }),
    resources: [vault.store.keyArn(keyId)],
  });
}

/** Makes a change Strongroom decided on by itself, committed with its audit record; `outcome` names the key it concerns. */
export function serviceChange<T>(vault: Vault, eventName: string, outcome: (result: T) => ServiceOutcome, change: () => T): T {
  return vault.audit.recordWithChange(change, (result) => serviceEvent(vault, eventName, outcome(result)));
}

/** Deletes a key whose waiting period is over: the row delete cascades to its versions, aliases and tags; a key on a token has its object destroyed there too (see destroyTokenKey). */
function deleteKey(vault: Vault, key: KeyRow): Record<string, string> | undefined {
  const { store } = vault;
  const onToken = key.origin === 'AWS_CLOUDHSM' ? vault.use((unlocked) => destroyTokenKey(vault, unlocked, key)) : undefined;
  store.db.transaction(() => {
    store.keys.delete(key.keyId);
  })();
  store.clearCache(key.keyId);
  return onToken;
}

/**
 * Rotates a key automatically; the next rotation is a whole number of periods
 * after the one due, and after `now`. Returns the rotation as CloudTrail's
 * serviceEventDetails give it.
 */
function rotateAutomatically(vault: Vault, key: KeyRow, due: number, periodDays: number, now: number): Record<string, string> {
  const period = periodDays * DAY_MS;
  const nextRotationAt = due + (Math.floor((now - due) / period) + 1) * period;
  const previous = vault.store.versions.get(key.keyId, key.currentVersion);
  const current = rotateKeyMaterial(vault, key, 'AUTOMATIC', { nextRotationAt }, now);
  return { rotationType: 'AUTOMATIC', keyId: key.keyId, keyOrigin: key.origin, previousKeyMaterialId: previous?.materialId ?? '', currentKeyMaterialId: current.materialId };
}

/**
 * Runs one change (which returns its serviceEventDetails, if any) with its
 * audit record, or records its failure and waits longer before each retry
 * (see RetrySchedule); a failure does not stop the others.
 */
function attempt(vault: Vault, eventName: string, key: KeyRow, now: number, change: () => Record<string, string> | undefined): void {
  const { retries } = vault;
  if (!retries.allows(key.keyId, now)) return;
  try {
    serviceChange(vault, eventName, (details) => ({ keyId: key.keyId, details }), change);
    retries.noteSuccess(key.keyId);
  } catch (error) {
    retries.noteFailure(key.keyId, now);
    vault.audit.record(serviceEvent(vault, eventName, { keyId: key.keyId }, error));
  }
}

/**
 * Does what is due at `now`: deletes keys whose deletion date has passed,
 * rotates Enabled keys whose automatic rotation is due (a Disabled key rotates
 * once it is enabled again), and deletes imported key material whose ValidTo
 * has passed (CloudTrail's DeleteExpiredKeyMaterial), each in its own
 * transaction with its own audit record. A change that failed waits before it
 * is tried again.
 */
export function runMaintenance(vault: Vault, now: number): void {
  for (const keyId of vault.store.imports.expiringBy(now)) {
    if (!vault.isUnlocked) return;
    const key = vault.store.keys.get(keyId);
    if (key === undefined) continue;
    attempt(vault, 'DeleteExpiredKeyMaterial', key, now, () => {
      const materialId = deleteImportedMaterial(vault, key);
      return materialId === undefined ? undefined : { keyMaterialId: materialId };
    });
  }
  for (const keyId of vault.store.keys.dueAt(now)) {
    if (!vault.isUnlocked) return;
    const key = vault.store.keys.get(keyId);
    if (key === undefined) continue;
    const { deletionDate, nextRotationAt, rotationPeriodDays } = key;
    if (key.keyState === 'PendingDeletion' && deletionDate !== null && deletionDate <= now) {
      attempt(vault, 'DeleteKey', key, now, () => deleteKey(vault, key));
    } else if (key.keyState === 'Enabled' && nextRotationAt !== null && nextRotationAt <= now && rotationPeriodDays !== null) {
      attempt(vault, 'RotateKey', key, now, () => rotateAutomatically(vault, key, nextRotationAt, rotationPeriodDays, now));
    }
  }
}
