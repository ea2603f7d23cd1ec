// The embedded token's PIN derivation: Argon2id as another implementation
// computes it, and stored parameters that cannot be weakened.
import { argon2id } from '@noble/hashes/argon2.js';
import { describe, expect, it } from 'vitest';
import { checkedPassphraseKdf, derivePin, KDF_MEMORY_KIB, KDF_PASSES, newPassphraseKdf } from '../../src-main/crypto/passphraseKdf';
import { errorText } from '../helpers/kms';

describe('the passphrase KDF', () => {
  it('is Argon2id version 0x13, as @noble/hashes computes it, over the NFC form of the passphrase', () => {
    const salt = Buffer.alloc(16, 7);
    const kdf = { algorithm: 'argon2id' as const, memoryKiB: 256, passes: 2, parallelism: 1, salt: salt.toString('base64') };
    const expected = Buffer.from(argon2id('caf\u00e9 crème', salt, { t: 2, m: 256, p: 1, dkLen: 32, version: 0x13 })).toString('base64url');
    expect(derivePin('caf\u00e9 crème', kdf)).toBe(expected);
    expect(derivePin('cafe\u0301 crème', kdf)).toBe(derivePin('caf\u00e9 crème', kdf));
    expect(expected).toHaveLength(43);
  });

  it('chooses 64 MiB and 8 passes with a fresh 16-byte salt, and refuses stored parameters weaker than that', () => {
    const kdf = newPassphraseKdf();
    expect(kdf).toMatchObject({ algorithm: 'argon2id', memoryKiB: 64 * 1024, passes: KDF_PASSES, parallelism: 1 });
    expect(newPassphraseKdf().salt).not.toBe(kdf.salt);
    expect(checkedPassphraseKdf(kdf)).toEqual(kdf);
    for (const weaker of [{ memoryKiB: KDF_MEMORY_KIB / 2 }, { passes: 1 }, { algorithm: 'argon2i' }, { salt: '' }, { parallelism: 0 }]) {
      expect(errorText(() => checkedPassphraseKdf({ ...kdf, ...weaker }))).toMatch(/^VaultCorruptException: The vault's passphrase parameters/);
    }
    expect(errorText(() => checkedPassphraseKdf(null))).toMatch(/^VaultCorruptException/);
  });
});
