import type { CoreOperationName } from '../../src-shared/kms/extensions';
import { invoke } from '../kms/pipeline/invoke';
import { cliCaller } from './credentials';
import type { Vault } from '../kms/lifecycle/vault';
import type { GlobalOptions } from './globalOptions';
import { withUnlockedVault } from './withVault';

/** One KMS operation, by name and JSON request, as the command's caller. */
export type Kms = (name: CoreOperationName, request: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** The KMS operations of a vault this command opened and unlocked, as the command's caller. */
export function kmsOf(vault: Vault, firstOperation: CoreOperationName): Kms {
  const caller = cliCaller(vault, firstOperation);
  return (name, request) => Promise.resolve(invoke(vault, caller, name, request) as Record<string, unknown>);
}

/** Runs `work` with the KMS operations of the vault (opened here, or through the app or host that holds it), as the command's caller (see credentials.ts; a refused access key is recorded under `firstOperation`). */
export async function withKms<T>(globals: GlobalOptions, firstOperation: CoreOperationName, work: (kms: Kms) => Promise<T>): Promise<T> {
  return withUnlockedVault(
    globals,
    (vault) => work(kmsOf(vault, firstOperation)),
    (holder) => work(async (name, request) => (await holder.call(name, request)) as Record<string, unknown>),
  );
}
