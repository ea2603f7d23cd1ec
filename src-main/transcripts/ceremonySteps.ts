import type { RootOfTrustKind } from '../../src-shared/vault';

/**
 * The ceremonies' own steps as their transcripts say them, the same from the
 * command line and the interface.
 */

export function initStep(home: string, pkcs11: string | undefined, rootOfTrust: RootOfTrustKind): string {
  return `Create a vault in ${home} on ${pkcs11 ?? 'a new embedded SoftHSM2 token'}, its root key wrapped there (${rootOfTrust}).`;
}

export function splitStep(custodians: readonly string[], threshold: number, outDir: string): string {
  return `Split the recovery of the root key among ${custodians.join(', ')}: any ${String(threshold)} of the ${String(custodians.length)} shares recover it. The share files go to ${outDir}; the split before, if any, opens nothing afterwards.`;
}

export function backupStep(file: string): string {
  return `Back up the whole vault to ${file}.`;
}

export function replicaExportStep(keyId: string, region: string, bundle: string): string {
  return `Export a replica of ${keyId} for the vault of Region ${region}, to ${bundle}.`;
}

export function replicaImportStep(bundle: string): string {
  return `Import the replica bundle ${bundle} into this vault.`;
}

export function byokStep(keyId: string, algorithm: string, wrappingKeySha256: string, out: string): string {
  return `Wrap the key material of ${keyId} with ${algorithm} under the wrapping public key whose SHA-256 is ${wrappingKeySha256}, to ${out}.`;
}
