/** The names of the channels of the map in channels.ts, for the preload, which needs nothing else. */
export const CHANNEL_NAMES = ['vault:status', 'vault:init', 'vault:unlock', 'vault:lock', 'vault:setAutoLock', 'vault:activity', 'vault:changePin', 'vault:setUnlockAttempts', 'tokens:list', 'kms:call', 'keys:page', 'audit:page', 'audit:verify', 'x509:make', 'policy:simulate'] as const;
