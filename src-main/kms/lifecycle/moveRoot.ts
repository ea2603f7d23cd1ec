import type { RootOfTrustKind } from '../../../src-shared/vault';
import { rootCaller, type Door } from '../../../src-shared/caller';
import { AuditLog } from '../../audit/auditLog';
import { signCheckpoint } from '../../audit/checkpointer';
import { insertAuditKey, retireAuditKey } from '../../audit/checkpoint';
import { createAuditKey } from '../../hsm/auditKey';
import { auditEvent } from '../../audit/events';
import type { Db } from '../../vault/db';
import { StateSeal } from '../../vault/stateSeal';
import { readVault, updateVaultToken, type VaultRecord } from '../../vault/vaultRepo';
import { connectNewToken, type TokenChoice } from './newToken';
import { keepPassphraseKdf } from './userPin';
import { checkVaultRecord, sealVaultRecord } from './vaultState';

/** The token the root key moves to, and how it is to wrap it there. */
export interface MoveTarget extends TokenChoice {
  rootOfTrust: RootOfTrustKind;
}

/** How the move is recorded in the audit log: its event name, the door, and what the record says of it (nothing secret). */
export interface MoveRecord {
  eventName: 'RestoreVault' | 'RewrapRootKey';
  door: Door;
  request: Record<string, unknown>;
}

/**
 * Seals the vault's root key (which the caller holds and zero-fills) onto
 * another token and makes the vault in `db` use it: checks first that the
 * key is this vault's (the vault record's seal), then creates the root of
 * trust on the new token, points the vault record at it (sealed again),
 * keeps or forgets the embedded passphrase parameters, retires the old
 * token's audit key for the new token's and records the move, in one
 * transaction; then the new audit key signs a checkpoint over that record.
 * Until that transaction commits, a failure destroys the new token's keys
 * (and an embedded token made for it) and leaves the vault as it was.
 */
export function moveRootKey(db: Db, rootKey: Buffer, target: MoveTarget, record: MoveRecord): { vault: VaultRecord; soPin?: string } {
  const before = readVault(db);
  if (before === undefined) throw new Error('moveRootKey: the database holds no vault record');
  const seal = StateSeal.derive(rootKey, before.vaultId);
  const audit = new AuditLog(db);
  let failed = true;
  try {
    checkVaultRecord(db, seal, before);
    const token = connectNewToken(target);
    try {
      const vault: VaultRecord = { ...before, ...token.sealRoot(target.rootOfTrust, before.vaultId, rootKey) };
      const auditKey = createAuditKey(token.session, before.vaultId);
      audit.recordWithChange(
        () => {
          updateVaultToken(db, vault);
          keepPassphraseKdf(db, token.passphraseKdf);
          sealVaultRecord(db, seal, vault);
          retireAuditKey(db, Date.now());
          insertAuditKey(db, auditKey, Date.now());
        },
        () =>
          auditEvent({
            eventName: record.eventName,
            actor: { caller: rootCaller(before.accountId, record.door) },
            kind: 'change',
            request: { ...record.request, fromToken: tokenName(before), toToken: tokenName(vault), rootOfTrust: vault.rootMechanism },
          }),
      );
      failed = false;
      try {
        signCheckpoint(db, token.session, before.vaultId);
      } catch {
        // The move is done; the checkpoint over it is signed at the next unlock.
      }
      return { vault, ...(token.soPin === undefined ? {} : { soPin: token.soPin }) };
    } finally {
      token.close(failed);
    }
  } finally {
    audit.close();
    seal.destroy();
  }
}

/** A token as the audit record names it. */
function tokenName(record: VaultRecord): string {
  return record.tokenKind === 'embedded' ? `embedded "${record.tokenLabel}" (${record.tokenSerial})` : `"${record.tokenLabel}" (${record.tokenSerial}) in ${record.modulePath ?? ''}`;
}
