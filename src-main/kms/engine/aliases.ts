import { parseArn } from '../../../src-shared/arn';
import { KmsError } from '../../../src-shared/errors';
import type { AliasListEntry } from '../../../src-shared/kms/shapes.generated';
import type { AliasRow } from '../../vault/aliasesRepo';
import type { KeyStore } from './keyStore';

/** Aliases of Strongroom's own managed keys: users may not create, change or delete them. */
export const MANAGED_ALIAS_PREFIX = 'alias/strongroom/';
const RESERVED_ALIAS_PREFIX = 'alias/aws/';
/** AWS's quota of aliases per KMS key. */
export const MAX_ALIASES_PER_KEY = 50;

/** What an alias name may contain (the model's pattern also admits `:`, for alias ARNs in the same members). */
const ALIAS_NAME_CHARACTERS = /^[a-zA-Z0-9/_-]+$/;

/** ValidationException for an alias name without the `alias/` prefix, as AWS answers before it looks for the alias. */
export function requireAliasPrefix(aliasName: string): void {
  if (!aliasName.startsWith('alias/')) {
    throw new KmsError('ValidationException', `Alias must start with the prefix "alias/", as in alias/payroll; ${aliasName} does not.`);
  }
}

/** Refuses a name CreateAlias cannot use: one that is not `alias/<name>`, one with other characters than letters, digits, / _ and -, or one under the reserved `alias/aws/` prefix. */
export function checkNewAliasName(aliasName: string): void {
  requireAliasPrefix(aliasName);
  if (aliasName.length === 'alias/'.length) {
    throw new KmsError('InvalidAliasNameException', 'An alias name is "alias/" followed by a name, such as alias/payroll.');
  }
  if (!ALIAS_NAME_CHARACTERS.test(aliasName)) {
    throw new KmsError('ValidationException', `${aliasName} contains invalid characters for an alias: use letters, digits, / _ and - only.`);
  }
  if (aliasName.toLowerCase().startsWith(RESERVED_ALIAS_PREFIX)) {
    throw new KmsError('InvalidAliasNameException', `${aliasName} begins with "alias/aws/", which AWS reserves for AWS managed keys. Choose a name without that prefix.`);
  }
}

/** AccessDeniedException for an alias under `alias/strongroom/`, which belongs to one of Strongroom's own managed keys. */
export function refuseManagedAlias(aliasName: string, action: `kms:${string}`): void {
  if (aliasName.toLowerCase().startsWith(MANAGED_ALIAS_PREFIX)) {
    throw new KmsError('AccessDeniedException', `${aliasName} is reserved for Strongroom's managed keys: it cannot be used with ${action}. Choose a name outside "alias/strongroom/".`);
  }
}

/** ValidationException when an alias target is an alias name or alias ARN: an alias must point at a key id or key ARN. */
export function refuseAliasTarget(targetKeyId: string): void {
  if (targetKeyId.startsWith('alias/') || parseArn(targetKeyId)?.resource.kind === 'alias') {
    throw new KmsError('ValidationException', `TargetKeyId must be a key id or key ARN, not an alias (${targetKeyId}). Use DescribeKey to find the key an alias points at.`);
  }
}

/** LimitExceededException when the key `keyId` already has as many aliases as a key may have. */
export function checkAliasRoom(store: KeyStore, keyId: string): void {
  if (store.aliases.ofKey(keyId).length >= MAX_ALIASES_PER_KEY) {
    throw new KmsError('LimitExceededException', `${store.keyArn(keyId)} already has ${String(MAX_ALIASES_PER_KEY)} aliases, the most a key may have. Delete one first.`);
  }
}

/** The alias named `aliasName` (which the request's check found to start with `alias/`): NotFoundException for one there is not. */
export function existingAlias(store: KeyStore, aliasName: string): AliasRow {
  const alias = store.aliases.get(aliasName);
  if (alias === undefined) {
    throw new KmsError('NotFoundException', `Alias ${store.aliasArn(aliasName)} is not found. ListAliases shows the aliases there are.`);
  }
  return alias;
}

/** An alias as ListAliases returns it; dates in epoch seconds. */
export function aliasEntry(store: KeyStore, row: AliasRow): AliasListEntry {
  return {
    AliasName: row.aliasName,
    AliasArn: store.aliasArn(row.aliasName),
    TargetKeyId: row.keyId,
    CreationDate: row.createdAt / 1000,
    LastUpdatedDate: row.updatedAt / 1000,
  };
}
