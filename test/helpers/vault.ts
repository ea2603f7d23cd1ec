import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { initVault, type InitOptions } from '../../src-main/kms/lifecycle/init';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { openVault } from '../../src-main/bootstrap';
import { derivePin } from '../../src-main/crypto/passphraseKdf';
import { readPassphraseKdf } from '../../src-main/kms/lifecycle/userPin';
import { tempDir } from './temp';

export const PIN = 'granite-otter-velvet-lamp-71';

/** Creates a vault in a fresh temp home (embedded SoftHSM2 token unless `pkcs11` is given) and opens it, locked. */
export function makeVault(options: Partial<InitOptions> = {}): { home: string; vault: Vault; soPin: string | undefined } {
  const home = options.home ?? join(tempDir(), 'vault');
  const { soPin } = initVault({ home, pin: PIN, rootOfTrust: 'aes', ...options });
  return { home, vault: openVault(home, 'app'), soPin };
}

/** The embedded token's real user PIN (PIN through the vault's Argon2id), for tests that reach the token with another PKCS#11 program. */
export function embeddedTokenPin(vault: Vault): string {
  const kdf = readPassphraseKdf(vault.db);
  if (kdf === undefined) throw new Error('The vault stores no passphrase KDF parameters.');
  return derivePin(PIN, kdf);
}

/** A copy of the root key bytes of an unlocked vault, for tests that look for it where it must not be. */
export function rootKeyCopy(vault: Vault): Buffer {
  return vault.use(({ rootKey }) => Buffer.from(rootKey.value));
}

/**
 * Gives each test of the file a fresh, unlocked vault (made with `options`)
 * through `use`, and closes it after the test.
 */
export function freshVaultForEachTest(use: (vault: Vault) => void, options: Partial<InitOptions> = {}): void {
  let current: Vault | undefined;
  beforeEach(() => {
    current = makeVault(options).vault;
    current.unlock(PIN);
    use(current);
  });
  afterEach(() => {
    current?.close();
    current = undefined;
  });
}

/** Gives the file one unlocked vault through `use`, made before its first test and closed after its last: for tests that do not disturb each other. */
export function unlockedVaultForFile(use: (vault: Vault) => void): void {
  let current: Vault | undefined;
  beforeAll(() => {
    current = makeVault().vault;
    current.unlock(PIN);
    use(current);
  });
  afterAll(() => {
    current?.close();
  });
}
