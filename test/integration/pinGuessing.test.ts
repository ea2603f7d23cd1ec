// Guessing the PIN: through the product (counted, delayed, locked out) and
// offline on a copy of the embedded token (priced by Argon2id).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { auditPage } from '../../src-main/audit/page';
import { loadEmbeddedModule } from '../../src-main/hsm/embedded';
import { TokenSession } from '../../src-main/hsm/token';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import { initVault } from '../../src-main/kms/lifecycle/init';
import { Vault } from '../../src-main/kms/lifecycle/vault';
import { openDatabaseReadOnly } from '../../src-main/vault/db';
import { cli, errorOf } from '../helpers/cli';
import { errorText } from '../helpers/kms';
import { tempDir } from '../helpers/temp';
import { makeVault, PIN } from '../helpers/vault';

const WRONG = 'not the passphrase at all';
const MINUTE = 60_000;

let open: Vault | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

/** A new embedded vault, opened with a clock the test moves by hand. */
function vaultWithClock(): { home: string; vault: Vault; advance: (ms: number) => void } {
  const made = makeVault();
  made.vault.close();
  let now = Date.UTC(2026, 0, 15, 9, 0);
  const vault = Vault.open(made.home, 'app', { now: () => now });
  open = vault;
  return {
    home: made.home,
    vault,
    advance: (ms) => {
      now += ms;
    },
  };
}

/** The vault's stored KDF parameters of the embedded token's PIN, as a copy of its files shows them. */
function storedKdf(home: string): { algorithm: string; memoryKiB: number; passes: number; salt: string } | undefined {
  const db = new Database(vaultFiles(home).db, { readonly: true });
  try {
    const row = db.prepare("SELECT value FROM settings WHERE name = 'embedded-pin-kdf'").get() as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as { algorithm: string; memoryKiB: number; passes: number; salt: string });
  } finally {
    db.close();
  }
}

/** Logs in to the vault's embedded SoftHSM2 token directly, as someone with a copy of its files would. */
function loginDirectly(home: string, pin: string): string {
  const module = loadEmbeddedModule(home);
  try {
    const session = TokenSession.open(module, { label: 'Strongroom' });
    try {
      return errorText(() => {
        session.login(pin);
      });
    } finally {
      session.close();
    }
  } finally {
    module.release();
  }
}

function events(vault: Vault, eventName: string): (string | undefined)[] {
  return auditPage(vault.db, { limit: 50, eventName }).records.map((r) => r.errorCode as string | undefined).reverse();
}

describe('guessing through the product', () => {
  it('locks out after 10 wrong passphrases: the right one is then refused', () => {
    const { vault, advance } = vaultWithClock();
    for (let i = 0; i < 12; i++) {
      errorText(() => {
        vault.unlock(WRONG);
      });
      advance(10 * MINUTE); // past any delay
    }
    expect(errorText(() => { vault.unlock(PIN); })).toMatch(/^VaultLockedOutException: .*strongroom reset-pin/);
    expect(vault.isUnlocked).toBe(false);
    expect(vault.status().UnlockAttemptsLeft).toBe(0);
    expect(events(vault, 'Unlock')).toEqual([...Array<string>(10).fill('IncorrectPinException'), 'VaultLockedOutException', 'VaultLockedOutException', 'VaultLockedOutException']);
  });

  it('makes each try after the third wait twice as long as the one before', () => {
    const { vault, advance } = vaultWithClock();
    for (let i = 0; i < 3; i++) expect(errorText(() => { vault.unlock(WRONG); })).toMatch(/^IncorrectPinException/);
    expect(errorText(() => { vault.unlock(PIN); })).toMatch(/^UnlockDelayedException: .*Wait 1 s/);
    advance(1000);
    expect(errorText(() => { vault.unlock(WRONG); })).toMatch(/^IncorrectPinException: .*6 tries left/);
    advance(1999);
    expect(errorText(() => { vault.unlock(PIN); })).toMatch(/^UnlockDelayedException: .*Wait 1 s/);
    advance(1);
    expect(errorText(() => { vault.unlock(WRONG); })).toMatch(/^IncorrectPinException/);
    expect(errorText(() => { vault.unlock(PIN); })).toMatch(/^UnlockDelayedException: .*Wait 4 s/);
    expect(vault.status().UnlockAttemptsLeft).toBe(5);
    expect(events(vault, 'Unlock')).toEqual([
      'IncorrectPinException', 'IncorrectPinException', 'IncorrectPinException', 'UnlockDelayedException',
      'IncorrectPinException', 'UnlockDelayedException', 'IncorrectPinException', 'UnlockDelayedException',
    ]);
  });

  it('starts counting again after a successful unlock', () => {
    const { vault, advance } = vaultWithClock();
    for (let i = 0; i < 3; i++) errorText(() => { vault.unlock(WRONG); });
    expect(vault.status().UnlockAttemptsLeft).toBe(7);
    advance(1000);
    vault.unlock(PIN);
    vault.lock();
    expect(vault.status().UnlockAttemptsLeft).toBe(10);
    for (let i = 0; i < 3; i++) expect(errorText(() => { vault.unlock(WRONG); })).toMatch(/^IncorrectPinException/);
    expect(vault.status().UnlockAttemptsLeft).toBe(7);
  });
});

describe('guessing through change-PIN while the vault is unlocked', () => {
  const NEXT = 'quartz-lantern-orbit-meadow-42';

  it('counts a wrong current PIN as a failed unlock: tries left, delays, lockout, audit, and the vault locks', () => {
    const { vault, advance } = vaultWithClock();
    vault.unlock(PIN);
    vault.setMaxUnlockAttempts(4);
    expect(errorText(() => { vault.changePin(WRONG, NEXT); })).toMatch(/^IncorrectPinException: .*3 tries left before the vault locks out/);
    expect(vault.status().UnlockAttemptsLeft).toBe(3);
    errorText(() => { vault.changePin(WRONG, NEXT); });
    errorText(() => { vault.changePin(WRONG, NEXT); });
    expect(errorText(() => { vault.changePin(PIN, NEXT); })).toMatch(/^UnlockDelayedException: .*Wait 1 s/);
    advance(1000);
    expect(errorText(() => { vault.changePin(WRONG, NEXT); })).toMatch(/^IncorrectPinException: .*now locked out/);
    expect(vault.isUnlocked).toBe(false);
    expect(vault.status()).toMatchObject({ UnlockAttemptsLeft: 0, LockReason: expect.stringMatching(/wrong PINs/) as unknown });
    advance(10 * MINUTE);
    expect(errorText(() => { vault.unlock(PIN); })).toMatch(/^VaultLockedOutException/);
    expect(events(vault, 'ChangePin')).toEqual(['IncorrectPinException', 'IncorrectPinException', 'IncorrectPinException', 'UnlockDelayedException', 'IncorrectPinException']);
    expect(events(vault, 'LockOut')).toEqual([undefined]);
  });

  it('clears the count when the current PIN is right, and leaves it alone for a refused new passphrase', () => {
    const { vault } = vaultWithClock();
    vault.unlock(PIN);
    errorText(() => { vault.changePin(WRONG, NEXT); });
    expect(vault.status().UnlockAttemptsLeft).toBe(9);
    expect(errorText(() => { vault.changePin(WRONG, '123456'); })).toMatch(/^ValidationException: This passphrase is too easy to guess/);
    expect(vault.status().UnlockAttemptsLeft).toBe(9);
    vault.changePin(PIN, NEXT);
    expect(vault.status().UnlockAttemptsLeft).toBe(10);
    expect(events(vault, 'ChangePin')).toEqual(['IncorrectPinException', 'ValidationException', undefined]);
  });
});

describe('the number of tries allowed', () => {
  it('is 1 to 100, and each change or refusal is recorded', () => {
    const { vault } = vaultWithClock();
    vault.unlock(PIN);
    for (const bad of [0, 101, 2.5]) expect(errorText(() => { vault.setMaxUnlockAttempts(bad); })).toMatch(/^ValidationException: The number of unlock attempts must be a whole number from 1 to 100/);
    vault.setMaxUnlockAttempts(2);
    vault.lock();
    expect(vault.status()).toMatchObject({ UnlockAttemptsLeft: 2, MaxUnlockAttempts: 2 });
    for (let i = 0; i < 2; i++) errorText(() => { vault.unlock(WRONG); });
    expect(errorText(() => { vault.unlock(PIN); })).toMatch(/^VaultLockedOutException: The vault is locked out after 2 wrong PINs/);
    expect(events(vault, 'SetUnlockAttempts')).toEqual(['ValidationException', 'ValidationException', 'ValidationException', undefined]);
    expect(events(vault, 'LockOut')).toEqual([undefined]);
  });
});

describe('guessing offline on a copy of the embedded token', () => {
  it('gives the token a PIN derived with Argon2id (64 MiB or more), so the passphrase itself does not log in', () => {
    const { home, vault } = makeVault();
    vault.close();
    const kdf = storedKdf(home);
    expect(kdf?.algorithm).toBe('argon2id');
    expect(kdf?.memoryKiB).toBeGreaterThanOrEqual(64 * 1024);
    expect(Buffer.from(kdf?.salt ?? '', 'base64')).toHaveLength(16);
    expect(loginDirectly(home, PIN)).toMatch(/^IncorrectPinException/);
  });

  it('refuses a 4-character passphrase for a new embedded token, and leaves nothing behind', () => {
    const home = join(tempDir(), 'vault');
    expect(errorText(() => initVault({ home, pin: 'abcd', rootOfTrust: 'aes' }))).toMatch(/^ValidationException: This passphrase is too easy to guess/);
    expect(existsSync(vaultFiles(home).db)).toBe(false);
  });
});

describe('the command line', () => {
  it('shows the tries left, locks out after the configured number, and a security-officer reset lets the user in again', () => {
    const home = join(tempDir(), 'home');
    const init = cli(['init'], { STRONGROOM_HOME: home, STRONGROOM_PIN: PIN });
    expect(init.status).toBe(0);
    const soPin = (init.json as { SecurityOfficerPin: string }).SecurityOfficerPin;
    const env = { STRONGROOM_HOME: home };
    expect(cli(['status'], env).json).toMatchObject({ UnlockAttemptsLeft: 10, MaxUnlockAttempts: 10 });
    expect(cli(['config', 'unlock-attempts', '3'], { ...env, STRONGROOM_PIN: PIN }).json).toEqual({ MaxUnlockAttempts: 3 });
    for (let i = 0; i < 3; i++) expect(errorOf(cli(['kms', 'generate-random', '--number-of-bytes', '8'], { ...env, STRONGROOM_PIN: WRONG })).__type).toBe('IncorrectPinException');
    expect(cli(['status'], env).json).toMatchObject({ UnlockAttemptsLeft: 0 });
    expect(errorOf(cli(['kms', 'generate-random', '--number-of-bytes', '8'], { ...env, STRONGROOM_PIN: PIN })).__type).toBe('VaultLockedOutException');
    const newPin = 'quartz-lantern-orbit-meadow-42';
    const wrongSo = cli(['reset-pin'], { ...env, STRONGROOM_SO_PIN: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA', STRONGROOM_NEW_PIN: newPin });
    expect(errorOf(wrongSo).__type).toBe('IncorrectPinException');
    const reset = cli(['reset-pin'], { ...env, STRONGROOM_SO_PIN: soPin, STRONGROOM_NEW_PIN: newPin });
    expect(reset.json).toEqual({ PinReset: true });
    expect(cli(['status'], env).json).toMatchObject({ UnlockAttemptsLeft: 3 });
    expect(cli(['kms', 'generate-random', '--number-of-bytes', '8'], { ...env, STRONGROOM_PIN: newPin }).status).toBe(0);
    const db = openDatabaseReadOnly(vaultFiles(home).db);
    try {
      const names = auditPage(db, { limit: 50 }).records.map((r) => `${String(r.eventName)}${r.errorCode === undefined ? '' : `:${r.errorCode as string}`}`);
      expect(names).toEqual(expect.arrayContaining(['SetUnlockAttempts', 'Unlock:IncorrectPinException', 'Unlock:VaultLockedOutException', 'ResetPin:IncorrectPinException', 'ResetPin']));
    } finally {
      db.close();
    }
  });

  it('refuses a weak passphrase at init with the estimate', () => {
    const result = cli(['init'], { STRONGROOM_HOME: join(tempDir(), 'home'), STRONGROOM_PIN: '1234' });
    expect(errorOf(result)).toMatchObject({ __type: 'ValidationException', message: expect.stringMatching(/too easy to guess.*guesses/) as unknown });
  });
});
