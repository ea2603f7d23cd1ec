import { KmsError } from '../../../src-shared/errors';
import { supportedKeySpec } from '../keySpecs';
import type { Vault } from '../lifecycle/vault';
import { MANAGED_ALIAS_PREFIX } from './aliases';
import { createKeyRecord } from './keyMaterial';
import { serviceChange } from './maintenance';

const FEATURE = /^[a-z0-9-]{1,64}$/;
const MANAGED_ROTATION_PERIOD_DAYS = 365;

/**
 * The id of the AWS-managed key behind `alias/strongroom/<feature>`, created
 * (with the alias, in one transaction) the first time a feature asks for it.
 * Managed keys rotate every 365 days; anyone may use them, no one may change them.
 */
export function ensureManagedKey(vault: Vault, feature: string): string {
  if (!FEATURE.test(feature)) {
    throw new KmsError('ValidationException', `A managed key's feature name is 1 to 64 lower-case letters, digits and dashes, not "${feature}".`);
  }
  const aliasName = `${MANAGED_ALIAS_PREFIX}${feature}`;
  const { store } = vault;
  const existing = store.aliases.get(aliasName);
  if (existing !== undefined) return existing.keyId;
  return serviceChange(vault, 'CreateKey', (keyId) => ({ keyId }), () => {
    const row = createKeyRecord(vault, {
      spec: supportedKeySpec('SYMMETRIC_DEFAULT'),
      usage: 'ENCRYPT_DECRYPT',
      description: `Strongroom managed key for ${feature}`,
      keyManager: 'AWS',
      rotationPeriodDays: MANAGED_ROTATION_PERIOD_DAYS,
    });
    store.aliases.insert({ aliasName, keyId: row.keyId, createdAt: row.createdAt, updatedAt: row.createdAt });
    return row.keyId;
  });
}
