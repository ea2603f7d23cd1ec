/** AWS KMS limits that Strongroom enforces at every door. */
export const LIMITS = {
  generateRandomMinBytes: 1,
  generateRandomMaxBytes: 1024,
  plaintextMaxBytes: 4096,
  deletionWindowMinDays: 7,
  deletionWindowMaxDays: 30,
  rotationPeriodMinDays: 90,
  rotationPeriodMaxDays: 2560,
  descriptionMaxChars: 8192,
  policyMaxBytes: 32768,
} as const;

/** The region Strongroom puts in ARNs unless the vault was created with another. */
export const DEFAULT_REGION = 'local';

/** Idle seconds before an unlocked vault locks itself, unless configured; 0 means never. */
export const DEFAULT_AUTO_LOCK_SECONDS = 15 * 60;
export const MAX_AUTO_LOCK_SECONDS = 24 * 60 * 60;

/** The most wrong PINs in a row that may be allowed before the vault locks out (the least is 1). */
export const MAX_UNLOCK_ATTEMPTS = 100;

/** Milliseconds in a day, for deletion windows and rotation periods. */
export const DAY_MS = 86_400_000;
