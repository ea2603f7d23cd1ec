import { randomBytes } from 'node:crypto';
import { hashRawSync, type Algorithm, type Version } from '@node-rs/argon2';
import { KmsError } from '../../src-shared/errors';

/**
 * The Argon2id parameters that turn a passphrase into the embedded token's
 * PIN; stored with the vault (not secret). `pending` marks parameters chosen
 * for a token whose PIN may not have been changed to the derived one yet
 * (an upgrade or reset that was interrupted).
 */
export interface PassphraseKdf {
  algorithm: 'argon2id';
  memoryKiB: number;
  passes: number;
  parallelism: number;
  /** 16 random bytes, base64. */
  salt: string;
  pending?: true;
}

/** The binding's enum values, written out: its const enums are types only, with no object at run time. Stated rather than left to its defaults, which a new version could change under stored vaults. */
/* eslint-disable @typescript-eslint/no-unsafe-enum-assignment -- the values of Algorithm.Argon2id and Version.V0x13 in the binding's declarations */
const ARGON2ID = 2 as Algorithm;
const VERSION_13 = 1 as Version;
/* eslint-enable @typescript-eslint/no-unsafe-enum-assignment */

/** 64 MiB and 8 passes: about 0.3 s on one core of a 2024 laptop, so each offline guess costs that. */
export const KDF_MEMORY_KIB = 64 * 1024;
export const KDF_PASSES = 8;

/** New parameters with a fresh random salt. */
export function newPassphraseKdf(): PassphraseKdf {
  return { algorithm: 'argon2id', memoryKiB: KDF_MEMORY_KIB, passes: KDF_PASSES, parallelism: 1, salt: randomBytes(16).toString('base64') };
}

/** Stored parameters, checked: anything weaker than this version chooses is refused, so an edited vault file cannot lower the cost of a guess. */
export function checkedPassphraseKdf(value: unknown): PassphraseKdf {
  const kdf = value as Partial<PassphraseKdf> | null;
  const ok =
    typeof kdf === 'object' && kdf !== null && kdf.algorithm === 'argon2id' &&
    Number.isInteger(kdf.memoryKiB) && (kdf.memoryKiB ?? 0) >= KDF_MEMORY_KIB && (kdf.memoryKiB ?? 0) <= 4 * 1024 * 1024 &&
    Number.isInteger(kdf.passes) && (kdf.passes ?? 0) >= KDF_PASSES && (kdf.passes ?? 0) <= 64 &&
    Number.isInteger(kdf.parallelism) && (kdf.parallelism ?? 0) >= 1 && (kdf.parallelism ?? 0) <= 16 &&
    typeof kdf.salt === 'string' && Buffer.from(kdf.salt, 'base64').length === 16;
  if (!ok) throw new KmsError('VaultCorruptException', "The vault's passphrase parameters are missing or weaker than allowed; restore the vault directory from a backup.");
  return kdf as PassphraseKdf;
}

/** 32 bytes of Argon2id output for `passphrase` (NFC-normalized): a key; the caller zero-fills it. */
export function derivePassphraseKey(passphrase: string, kdf: PassphraseKdf): Buffer {
  return hashRawSync(passphrase.normalize('NFC'), {
    algorithm: ARGON2ID,
    version: VERSION_13,
    memoryCost: kdf.memoryKiB,
    timeCost: kdf.passes,
    parallelism: kdf.parallelism,
    outputLen: 32,
    salt: Buffer.from(kdf.salt, 'base64'),
  });
}

/** The token PIN for `passphrase`: 32 bytes of Argon2id output, base64url (43 characters, which every PKCS#11 token here accepts). */
export function derivePin(passphrase: string, kdf: PassphraseKdf): string {
  const raw = derivePassphraseKey(passphrase, kdf);
  try {
    return raw.toString('base64url');
  } finally {
    raw.fill(0);
  }
}
