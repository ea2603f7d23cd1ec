/**
 * The condition keys a policy may name. Keys of other services are taken
 * (a Strongroom request never has them); an `aws:` key is taken too, since
 * AWS has many global keys (those Strongroom does not set are missing from
 * every request); a `kms:` key must be one AWS KMS documents, so that a
 * misspelt key is refused rather than silently never present.
 */

/** The kms: keys AWS KMS documents, in lower case (prefix keys end with `:`). */
const KMS_KEYS: ReadonlySet<string> = new Set(
  [
    'BypassPolicyLockoutSafetyCheck', 'CallerAccount', 'CustomerMasterKeySpec', 'CustomerMasterKeyUsage', 'DataKeyPairSpec',
    'EncryptionAlgorithm', 'EncryptionContextKeys', 'ExpirationModel', 'GrantConstraintType', 'GranteePrincipal',
    'GrantIsForAWSResource', 'GrantOperations', 'KeyAgreementAlgorithm', 'KeyOrigin', 'KeySpec', 'KeyUsage', 'MacAlgorithm',
    'MessageType', 'MultiRegion', 'MultiRegionKeyType', 'PrimaryRegion', 'ReEncryptOnSameKey', 'ReplicaRegion', 'RequestAlias',
    'ResourceAliases', 'RetiringPrincipal', 'RotationPeriodInDays', 'ScheduleKeyDeletionPendingWindowInDays', 'SigningAlgorithm',
    'ValidTo', 'ViaService', 'WrappingAlgorithm', 'WrappingKeySpec',
  ].map((name) => `kms:${name.toLowerCase()}`),
);
const KMS_PREFIXES = ['kms:encryptioncontext:', 'kms:recipientattestation:'];

/** The keys Strongroom sets on a request, for messages. */
export const KEYS_STRONGROOM_SETS = [
  'kms:EncryptionContext:<key>', 'kms:EncryptionContextKeys', 'kms:CallerAccount', 'kms:GrantOperations', 'kms:GrantIsForAWSResource',
  'kms:KeySpec', 'kms:KeyUsage', 'kms:KeyOrigin', 'kms:RequestAlias', 'kms:ResourceAliases', 'kms:ViaService',
  'aws:PrincipalArn', 'aws:PrincipalAccount', 'aws:PrincipalType', 'aws:username', 'aws:CurrentTime', 'aws:EpochTime',
  'aws:ResourceTag/<key>', 'aws:RequestTag/<key>', 'aws:TagKeys',
] as const;

/** A sentence saying why `key` cannot be a condition key, or undefined when it can. */
export function conditionKeyProblem(key: string): string | undefined {
  const match = /^([A-Za-z0-9-]+):(.+)$/s.exec(key);
  if (!match) return `Condition keys must be prefaced by a vendor, e.g. kms:EncryptionContext:Department; "${key}" has none.`;
  const lower = key.toLowerCase();
  if (match[1]?.toLowerCase() !== 'kms') return undefined;
  if (KMS_KEYS.has(lower)) return undefined;
  const prefix = KMS_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix !== undefined && lower.length > prefix.length) return undefined;
  return `"${key}" is not a condition key of AWS KMS. Use one of ${KEYS_STRONGROOM_SETS.filter((k) => k.startsWith('kms:')).join(', ')} (or another key AWS KMS documents).`;
}
