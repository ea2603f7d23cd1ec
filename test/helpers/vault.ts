import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { initVault, type InitOptions } from '../../src-main/kms/lifecycle/init';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { openVault } from '../../src-main/bootstrap';
import { derivePin } from '../../src-main/crypto/passphraseKdf';
import { readPassphraseKdf } from '../../src-main/kms/lifecycle/userPin';
import { makeExternalToken } from './softhsm';
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
 * The vaults the helpers below make: InitOptions, on a fresh SoftHSM2 token
 * made with softhsm2-util whose user PIN is PIN unless `embedded` is set.
 * Such a vault reaches the token with no Argon2 at init and unlock: for tests
 * of what the vault does rather than of its passphrase or embedded token,
 * which take `embedded`.
 */
export type TestVaultOptions = Partial<InitOptions> & { embedded?: boolean };

function makeTestVault({ embedded = false, ...options }: TestVaultOptions): Vault {
  if (embedded || options.pkcs11 !== undefined) return makeVault(options).vault;
  const token = makeExternalToken('Test Vault', PIN);
  return makeVault({ pkcs11: token.modulePath, tokenLabel: token.label, ...options }).vault;
}

/**
 * Gives each test of the file a fresh, unlocked vault (made with `options`)
 * through `use`, and closes it after the test.
 */
export function freshVaultForEachTest(use: (vault: Vault) => void, options: TestVaultOptions = {}): void {
  let current: Vault | undefined;
  beforeEach(() => {
    current = makeTestVault(options);
    current.unlock(PIN);
    use(current);
  });
  afterEach(() => {
    current?.close();
    current = undefined;
  });
}

/** Gives the file one unlocked vault through `use`, made before its first test and closed after its last: for tests that do not disturb each other. */
export function unlockedVaultForFile(use: (vault: Vault) => void, options: TestVaultOptions = {}): void {
  let current: Vault | undefined;
  beforeAll(() => {
    current = makeTestVault(options);
    current.unlock(PIN);
    use(current);
  });
  afterAll(() => {
    current?.close();
  });
}
