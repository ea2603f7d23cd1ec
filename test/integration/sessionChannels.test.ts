// The interface's session channels: activity and the idle lock's time,
// change PIN and the number of unlock attempts, through the core the
// Electron IPC and the browser host both reach.
import { afterEach, describe, expect, it } from 'vitest';
import { auditPage } from '../../src-main/audit/page';
import { AppCore } from '../../src-main/ipc/appCore';
import { openDatabaseReadOnly } from '../../src-main/vault/db';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import type { Reply } from '../../src-shared/ipc/channels';
import type { VaultStatus } from '../../src-shared/vault';
import { makeVault, PIN } from '../helpers/vault';

const NEXT = 'quartz-lantern-orbit-meadow-42';
const WRONG = 'not the passphrase at all';

let core: AppCore | undefined;
let home = '';
afterEach(() => {
  core?.close();
  core = undefined;
});

/** A new vault held by an interface's core, unlocked. */
function unlockedCore(): AppCore {
  const made = makeVault();
  made.vault.close();
  home = made.home;
  core = new AppCore(home, 'app');
  expect(status(core.handle('vault:unlock', { pin: PIN })).State).toBe('Unlocked');
  return core;
}

function status(reply: Reply): VaultStatus {
  if (!reply.ok) throw new Error(`${reply.error.__type}: ${reply.error.message}`);
  return reply.value as VaultStatus;
}

function failure(reply: Reply): string {
  return reply.ok ? 'no error' : `${reply.error.__type}: ${reply.error.message}`;
}

/** Returns once the clock has moved on by a millisecond, so that a new activity has a later time than the last. */
function nextMillisecond(): void {
  const start = Date.now();
  while (Date.now() === start) {
    // spin: at most a millisecond
  }
}

/** The error codes of the vault's records of `eventName`, oldest first. */
function recorded(eventName: string): (string | undefined)[] {
  const db = openDatabaseReadOnly(vaultFiles(home).db);
  try {
    return auditPage(db, { limit: 50, eventName }).records.map((r) => r.errorCode as string | undefined).reverse();
  } finally {
    db.close();
  }
}

describe('activity', () => {
  it('moves the time of the idle lock; reading the status does not', () => {
    const app = unlockedCore();
    const before = Date.now();
    const first = status(app.handle('vault:activity', {}));
    const after = Date.now();
    expect(first.AutoLockSeconds).toBe(900);
    expect(first.AutoLockAt).toBeGreaterThanOrEqual(before / 1000 + 900);
    expect(first.AutoLockAt).toBeLessThanOrEqual(after / 1000 + 900);
    nextMillisecond();
    expect(status(app.handle('vault:status', {})).AutoLockAt).toBe(first.AutoLockAt);
    const second = status(app.handle('vault:activity', {}));
    expect(second.AutoLockAt).toBeGreaterThan(first.AutoLockAt ?? Infinity);
    nextMillisecond();
    expect(status(app.handle('vault:setAutoLock', { seconds: 60 })).AutoLockAt).toBeLessThan(second.AutoLockAt ?? 0);
  });

  it('gives no idle lock time when auto-lock is off or the vault is locked, and does nothing while locked', () => {
    const app = unlockedCore();
    expect(status(app.handle('vault:setAutoLock', { seconds: 0 }))).not.toHaveProperty('AutoLockAt');
    status(app.handle('vault:setAutoLock', { seconds: 300 }));
    const locked = status(app.handle('vault:lock', {}));
    expect(locked.State).toBe('Locked');
    expect(locked).not.toHaveProperty('AutoLockAt');
    const touched = status(app.handle('vault:activity', {}));
    expect(touched.State).toBe('Locked');
    expect(touched).not.toHaveProperty('AutoLockAt');
  });
});

describe('change PIN', () => {
  it('changes it: the old PIN stops working and the new one unlocks', () => {
    const app = unlockedCore();
    expect(status(app.handle('vault:changePin', { currentPin: PIN, newPin: NEXT })).State).toBe('Unlocked');
    status(app.handle('vault:lock', {}));
    expect(failure(app.handle('vault:unlock', { pin: PIN }))).toMatch(/^IncorrectPinException/);
    expect(status(app.handle('vault:unlock', { pin: NEXT })).State).toBe('Unlocked');
    expect(recorded('ChangePin')).toEqual([undefined]);
  });

  it('counts a wrong current PIN as a failed unlock and says how many tries are left', () => {
    const app = unlockedCore();
    expect(failure(app.handle('vault:changePin', { currentPin: WRONG, newPin: NEXT }))).toMatch(/^IncorrectPinException: .*9 tries left before the vault locks out/);
    expect(status(app.handle('vault:status', {}))).toMatchObject({ State: 'Unlocked', UnlockAttemptsLeft: 9, MaxUnlockAttempts: 10 });
    expect(recorded('ChangePin')).toEqual(['IncorrectPinException']);
  });

  it('holds the embedded token to the passphrase-strength rule', () => {
    const app = unlockedCore();
    expect(failure(app.handle('vault:changePin', { currentPin: PIN, newPin: 'password123' }))).toMatch(/^ValidationException: This passphrase is too easy to guess/);
    expect(status(app.handle('vault:status', {})).UnlockAttemptsLeft).toBe(10);
  });

  it('is refused while the vault is locked: it is no way to unlock', () => {
    const app = unlockedCore();
    status(app.handle('vault:lock', {}));
    expect(failure(app.handle('vault:changePin', { currentPin: PIN, newPin: NEXT }))).toMatch(/^VaultLockedException/);
    expect(status(app.handle('vault:status', {})).State).toBe('Locked');
  });
});

describe('unlock attempts', () => {
  it('takes 1 to 100, while unlocked', () => {
    const app = unlockedCore();
    for (const attempts of [0, 101, 2.5]) expect(failure(app.handle('vault:setUnlockAttempts', { attempts }))).toMatch(/^ValidationException/);
    expect(status(app.handle('vault:setUnlockAttempts', { attempts: 1 }))).toMatchObject({ MaxUnlockAttempts: 1, UnlockAttemptsLeft: 1 });
    expect(status(app.handle('vault:setUnlockAttempts', { attempts: 100 }))).toMatchObject({ MaxUnlockAttempts: 100, UnlockAttemptsLeft: 100 });
    status(app.handle('vault:lock', {}));
    expect(failure(app.handle('vault:setUnlockAttempts', { attempts: 5 }))).toMatch(/^VaultLockedException/);
    expect(status(app.handle('vault:status', {})).MaxUnlockAttempts).toBe(100);
    expect(recorded('SetUnlockAttempts')).toEqual([undefined, undefined]);
  });
});
