/** The two ways a token can protect the vault root key. */
export const ROOT_OF_TRUST_KINDS = ['aes', 'rsa'] as const;
export type RootOfTrustKind = (typeof ROOT_OF_TRUST_KINDS)[number];

/** How the stored root key was wrapped, as recorded in the vault. */
export const ROOT_MECHANISMS = ['aes-gcm', 'rsa-oaep-sha256', 'rsa-oaep-sha1'] as const;
export type RootMechanism = (typeof ROOT_MECHANISMS)[number];

/** What `status` reports about a vault; nothing secret. */
export interface VaultStatus {
  Home: string;
  Initialized: boolean;
  State: 'Uninitialized' | 'Locked' | 'Unlocked';
  VaultId?: string;
  AccountId?: string;
  Region?: string;
  CreationDate?: string;
  Token?: { Embedded: boolean; Module: string; Label: string; Serial: string };
  RootOfTrust?: RootMechanism;
  /** Idle seconds before the vault locks itself; 0 means never. */
  AutoLockSeconds?: number;
  /** When the unlocked vault locks itself if nothing happens before, in seconds since the epoch (absent when locked or auto-lock is off). */
  AutoLockAt?: number;
  /** The pid of another process that has the vault open, if any. */
  HeldByPid?: number;
  /** Why the locked vault last locked, if it was ever unlocked. */
  LockReason?: string;
  /** When it locked, in seconds since the epoch (absent when its holder ended without locking it). */
  LockedAt?: number;
  /** Failed unlocks still allowed before the vault locks out (0: locked out until a security-officer reset). */
  UnlockAttemptsLeft?: number;
  /** Failed unlocks in a row that lock the vault out. */
  MaxUnlockAttempts?: number;
  /** After a run of failed unlocks: the next try is refused until then, in seconds since the epoch. */
  UnlockNotBefore?: number;
}
