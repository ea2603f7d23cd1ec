import type { Vault } from './lifecycle/vault';

/** What every KMS operation runs against: the open vault of this process. */
export interface KmsContext {
  readonly vault: Vault;
}
