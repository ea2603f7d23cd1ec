// An embedded vault made before the passphrase KDF (its token's PIN is the
// passphrase itself) is upgraded at its next successful unlock.
import { afterEach, describe, expect, it } from 'vitest';
import { auditPage } from '../../src-main/audit/page';
import { derivePin } from '../../src-main/crypto/passphraseKdf';
import { loadEmbeddedModule } from '../../src-main/hsm/embedded';
import { TokenSession } from '../../src-main/hsm/token';
import { readPassphraseKdf } from '../../src-main/kms/lifecycle/userPin';
import { Vault } from '../../src-main/kms/lifecycle/vault';
import { openDatabase } from '../../src-main/vault/db';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import { errorText } from '../helpers/kms';
import { makeVault, PIN } from '../helpers/vault';

let open: Vault | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

/** Runs `fn` with a session on the vault's embedded token, as any PKCS#11 program could. */
function withToken<T>(home: string, fn: (session: TokenSession) => T): T {
  const module = loadEmbeddedModule(home);
  try {
    const session = TokenSession.open(module, { label: 'Strongroom' });
    try {
      return fn(session);
    } finally {
      session.close();
    }
  } finally {
    module.release();
  }
}

/**
 * Puts a new vault in the state the previous version left it in: the token's
 * user PIN is the passphrase itself and no KDF parameters are stored. With
 * `pending`, the parameters are stored as an interrupted upgrade leaves them.
 */
function asMadeByThePreviousVersion(home: string, options: { pending?: boolean } = {}): void {
  const db = openDatabase(vaultFiles(home).db);
  try {
    const kdf = readPassphraseKdf(db);
    if (kdf === undefined) throw new Error('a new vault stores its KDF parameters');
    withToken(home, (session) => {
      const derived = derivePin(PIN, kdf);
      session.login(derived);
      session.setPin(derived, PIN);
    });
    if (options.pending === true) db.prepare("UPDATE settings SET value = ? WHERE name = 'embedded-pin-kdf'").run(JSON.stringify({ ...kdf, pending: true }));
    else db.prepare("DELETE FROM settings WHERE name = 'embedded-pin-kdf'").run();
  } finally {
    db.close();
  }
}

describe('upgrading an embedded vault made before the passphrase KDF', () => {
  it('changes the token PIN from the passphrase to its Argon2id derivation at the next unlock, and records it', () => {
    const made = makeVault();
    made.vault.close();
    asMadeByThePreviousVersion(made.home);
    expect(withToken(made.home, (session) => errorText(() => { session.login(PIN); }))).toBe('no error');

    const vault = Vault.open(made.home, 'app');
    open = vault;
    expect(readPassphraseKdf(vault.db)).toBeUndefined();
    vault.unlock(PIN);
    const kdf = readPassphraseKdf(vault.db);
    expect(kdf?.memoryKiB).toBeGreaterThanOrEqual(64 * 1024);
    expect(kdf?.pending).toBeUndefined();
    expect(auditPage(vault.db, { limit: 5, eventName: 'UpgradePin' }).records).toHaveLength(1);
    vault.close();
    open = undefined;

    expect(withToken(made.home, (session) => errorText(() => { session.login(PIN); }))).toMatch(/^IncorrectPinException/);
    const again = Vault.open(made.home, 'app');
    open = again;
    again.unlock(PIN);
    expect(again.isUnlocked).toBe(true);
    expect(auditPage(again.db, { limit: 5, eventName: 'UpgradePin' }).records).toHaveLength(1);
  });

  it('finishes an upgrade that was interrupted before the token PIN changed', () => {
    const made = makeVault();
    made.vault.close();
    asMadeByThePreviousVersion(made.home, { pending: true });
    const vault = Vault.open(made.home, 'app');
    open = vault;
    expect(errorText(() => { vault.unlock('a wrong passphrase here'); })).toMatch(/^IncorrectPinException/);
    vault.unlock(PIN);
    expect(readPassphraseKdf(vault.db)?.pending).toBeUndefined();
    vault.close();
    open = undefined;
    expect(withToken(made.home, (session) => errorText(() => { session.login(PIN); }))).toMatch(/^IncorrectPinException/);
  });
});
