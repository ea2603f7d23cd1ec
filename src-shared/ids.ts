import type { Brand } from './brand';

/** The UUID of a KMS key. */
export type KeyId = Brand<string, 'KeyId'>;
/** An alias name, `alias/...`. */
export type AliasName = Brand<string, 'AliasName'>;
/** A grant id. */
export type GrantId = Brand<string, 'GrantId'>;
/** The UUID of a vault. */
export type VaultId = Brand<string, 'VaultId'>;
/** A 12-digit account id. */
export type AccountId = Brand<string, 'AccountId'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ACCOUNT = /^[0-9]{12}$/;

/** True for a lower-case canonical UUID. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** True for a 12-digit account id. */
export function isAccountId(value: string): value is AccountId {
  return ACCOUNT.test(value);
}
