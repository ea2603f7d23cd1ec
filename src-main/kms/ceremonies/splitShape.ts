import type { RecoverySplitRow } from '../../vault/recoveryRepo';

/** A recovery split as the operations answer it: never its secret or the wrapped root key. */
export function splitShape(vaultId: string, row: RecoverySplitRow): { VaultId: string; SplitId: string; Threshold: number; Custodians: string[]; CreationDate: number } {
  return { VaultId: vaultId, SplitId: row.splitId, Threshold: row.threshold, Custodians: row.custodians, CreationDate: row.createdAt / 1000 };
}
