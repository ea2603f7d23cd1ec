import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { initVault } from '../../src-main/kms/lifecycle/init';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { openVault, readStatus } from '../../src-main/bootstrap';
import { auditPage } from '../../src-main/audit/page';
import Database from 'better-sqlite3';
import { embeddedTokenPaths } from '../../src-main/hsm/embedded';
import { errorText } from '../helpers/kms';
import { spawnHolder, startHolder } from '../helpers/processes';
import { tempDir } from '../helpers/temp';
import { makeVault, PIN, rootKeyCopy } from '../helpers/vault';

const NEW_PASSPHRASE = 'ember-walrus-cobalt-ridge-58';

let open: Vault | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

/** Every file below `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('unlock and lock', () => {
  it('refuses a wrong PIN, stays locked, then unlocks with the right one', () => {
    const { vault } = makeVault();
    open = vault;
    expect(errorText(() => { vault.unlock('000000'); })).toMatch(/^IncorrectPinException: The PIN is incorrect/);
    expect(vault.isUnlocked).toBe(false);
    expect(errorText(() => vault.use(() => 1))).toMatch(/^VaultLockedException/);
    vault.unlock(PIN);
    expect(vault.status().State).toBe('Unlocked');
  });

  it('zero-fills the cached root key on lock, and unlocks again to the same key', () => {
    const { vault } = makeVault();
    open = vault;
    vault.unlock(PIN);
    const held = vault.use(({ rootKey }) => rootKey.value); // the live buffer, not a copy
    const copy = Buffer.from(held);
    expect(copy.some((b) => b !== 0)).toBe(true);
    vault.lock();
    expect(held.every((b) => b === 0)).toBe(true);
    expect(errorText(() => vault.use(() => 1))).toMatch(/^VaultLockedException: The vault is locked. Locked on request/);
    vault.unlock(PIN);
    expect(rootKeyCopy(vault).equals(copy)).toBe(true);
  });

  it('locks itself after the configured idle time and says why', async () => {
    const { vault } = makeVault();
    open = vault;
    vault.unlock(PIN);
    vault.setAutoLockSeconds(1); // while unlocked: the setting is sealed with the vault record
    const reasons: string[] = [];
    vault.onLock((reason) => reasons.push(reason));
    await sleep(600);
    vault.use(() => 1); // activity restarts the idle clock
    await sleep(600);
    expect(vault.isUnlocked).toBe(true);
    await sleep(800);
    expect(vault.isUnlocked).toBe(false);
    expect(reasons).toEqual(['idle']);
    expect(vault.status().LockReason).toMatch(/idle/);
    expect(errorText(() => { vault.setAutoLockSeconds(-1); })).toMatch(/^ValidationException/);
    expect(errorText(() => { vault.setAutoLockSeconds(86_401); })).toMatch(/^ValidationException/);
    const recorded = auditPage(vault.db, { limit: 10, eventName: 'SetAutoLock' }).records.map((r) => [r.requestParameters, r.errorCode]);
    expect(recorded).toEqual([
      [{ autoLockSeconds: '86401' }, 'ValidationException'],
      [{ autoLockSeconds: '-1' }, 'ValidationException'],
      [{ autoLockSeconds: '1' }, undefined],
    ]);
  });

  it('locks itself when the token session disappears, and says why', async () => {
    const { vault } = makeVault();
    open = vault;
    vault.unlock(PIN);
    const held = vault.use(({ rootKey }) => rootKey.value);
    // What the vault sees when the token is pulled: every session with it is gone.
    vault.use(({ session }) => {
      session.module.lib.C_CloseAllSessions(session.slot);
    });
    expect(errorText(() => vault.use(({ session }) => session.random(4)))).toMatch(/^TokenRemovedException: The token was removed/);
    expect(vault.isUnlocked).toBe(false);
    expect(held.every((b) => b === 0)).toBe(true);
    expect(vault.status().LockReason).toMatch(/token was removed/);

    // The health check notices it too, without any call being made.
    vault.unlock(PIN);
    vault.use(({ session }) => {
      session.module.lib.C_CloseAllSessions(session.slot);
    });
    await sleep(2500);
    expect(vault.isUnlocked).toBe(false);
    expect(vault.status().LockReason).toMatch(/token was removed/);
  });

  it('remembers why it last locked across a restart, and says when its holder ended without locking it', async () => {
    const { home, vault } = makeVault();
    vault.unlock(PIN);
    const before = Date.now() / 1000;
    vault.lock('token-removed');
    vault.close();
    const reopened = openVault(home, 'app');
    expect(reopened.status()).toMatchObject({ State: 'Locked', LockReason: expect.stringMatching(/token was removed/) as unknown });
    expect(reopened.status().LockedAt).toBeGreaterThanOrEqual(Math.floor(before));
    expect(readStatus(home).LockReason).toMatch(/token was removed/);
    reopened.close();

    const holder = await startHolder(home, PIN);
    expect(readStatus(home)).not.toHaveProperty('LockReason'); // unlocked by the holder
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    const afterCrash = openVault(home, 'app');
    open = afterCrash;
    expect(afterCrash.status().LockReason).toMatch(/ended without locking it/);
    expect(afterCrash.status()).not.toHaveProperty('LockedAt');
    expect(readStatus(home).LockReason).toMatch(/ended without locking it/);
    afterCrash.unlock(PIN);
    expect(afterCrash.status()).not.toHaveProperty('LockReason');

    // A note it cannot read is no reason at all, not a failure.
    afterCrash.close();
    for (const note of ['not json', 'null', '{"reason":"gremlins"}']) {
      const db = new Database(vaultFiles(home).db);
      db.prepare("UPDATE settings SET value = ? WHERE name = 'last-lock'").run(note);
      db.close();
      const reopened2 = openVault(home, 'app');
      expect(reopened2.status()).not.toHaveProperty('LockReason');
      reopened2.close();
    }
  });

  it('changes the PIN: the old one stops working and the new one works', () => {
    const { home, vault } = makeVault();
    vault.changePin(PIN, NEW_PASSPHRASE);
    expect(errorText(() => { vault.changePin(NEW_PASSPHRASE, '975310'); })).toMatch(/^ValidationException: This passphrase is too easy to guess/);
    vault.close();
    const again = openVault(home, 'app');
    open = again;
    expect(errorText(() => { again.unlock(PIN); })).toMatch(/^IncorrectPinException/);
    again.unlock(NEW_PASSPHRASE);
    expect(again.isUnlocked).toBe(true);
  });
});

describe('one owner at a time', () => {
  it('refuses a second opener with the holder pid, in this process and from another', async () => {
    const { home, vault } = makeVault();
    expect(errorText(() => openVault(home, 'app'))).toMatch(/^VaultInUseException: This vault is already open in this process/);
    vault.close();
    const holder = await startHolder(home);
    expect(errorText(() => openVault(home, 'app'))).toBe(
      `VaultInUseException: The vault is in use by another Strongroom process (pid ${String(holder.pid)}), and one process at a time may open it. Wait for it to finish, or close it; "strongroom status", "strongroom lock" and "strongroom audit" work meanwhile.`,
    );
    holder.kill('SIGTERM');
    await new Promise((resolve) => holder.once('exit', resolve));
    open = openVault(home, 'app');
  });

  it('takes over the lock left by a process that died', () => {
    const { home, vault } = makeVault();
    vault.close();
    writeFileSync(vaultFiles(home).lock, '999999999 1 unlocked\n');
    open = openVault(home, 'app');
    expect(open.status().State).toBe('Locked');
  });

  it('lets exactly one of many processes racing for a vault left by a killed holder have it', async () => {
    const { home, vault } = makeVault();
    vault.close();
    const killed = await startHolder(home);
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));
    const startAt = String(Date.now() + 4000); // all open the vault at the same moment, after starting up
    const racers = Array.from({ length: 6 }, () => spawnHolder(home, undefined, { START_AT: startAt }));
    const outcomes = await Promise.all(
      racers.map(
        (child) =>
          new Promise<string>((resolve) => {
            let stderr = '';
            child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
            child.stdout?.on('data', (chunk: Buffer) => {
              if (chunk.toString('utf8').startsWith('ready')) resolve('owner');
            });
            child.once('exit', () => {
              resolve(/VaultInUseException/.test(stderr) ? 'refused' : `failed: ${stderr}`);
            });
          }),
      ),
    );
    expect(outcomes.sort()).toEqual(['owner', 'refused', 'refused', 'refused', 'refused', 'refused']);
  });
});

describe('init', () => {
  it('refuses a second init of the same home, and a home with no vault to open', () => {
    const { home, vault } = makeVault();
    vault.close();
    expect(errorText(() => initVault({ home, pin: PIN, rootOfTrust: 'aes' }))).toMatch(/^VaultAlreadyInitializedException/);
    expect(errorText(() => openVault(join(tempDir(), 'nothing'), 'app'))).toMatch(/^VaultNotInitializedException: There is no vault in .*nothing\. Create one with "strongroom init"/);
  });

  it('leaves nothing behind when it fails', () => {
    const home = join(tempDir(), 'vault');
    mkdirSync(home);
    expect(errorText(() => initVault({ home, pin: '12', rootOfTrust: 'aes' }))).toMatch(/^ValidationException: This passphrase is too easy to guess/);
    expect(readdirSync(home)).toEqual([]);
    // and a good init works in the same place afterwards
    open = makeVault({ home }).vault;
  });

  it('shows a security-officer PIN once for the embedded token, stores it nowhere, and it unblocks the user PIN', () => {
    const { soPin, vault } = makeVault();
    open = vault;
    expect(soPin).toMatch(/^([A-Z2-9]{4}-){5}[A-Z2-9]{4}$/);
    for (const file of filesUnder(vault.files.home)) expect(readFileSync(file).includes(Buffer.from(soPin ?? ''))).toBe(false);
    // It sets a new user passphrase; another SO PIN does not.
    expect(errorText(() => { vault.resetPin('AAAA-BBBB-CCCC-DDDD-EEEE-FFFF', NEW_PASSPHRASE); })).toMatch(/^IncorrectPinException/);
    vault.resetPin(soPin ?? '', NEW_PASSPHRASE);
    expect(errorText(() => { vault.unlock(PIN); })).toMatch(/^IncorrectPinException/);
    vault.unlock(NEW_PASSPHRASE);
    expect(vault.isUnlocked).toBe(true);
  });
});

describe('secrets at rest', () => {
  it('never writes the root key or the PIN to the vault file, its WAL, or the token directory', () => {
    const { home, vault } = makeVault();
    open = vault;
    vault.unlock(PIN);
    vault.setAutoLockSeconds(600); // a write while unlocked, so the WAL has content
    const rootKey = rootKeyCopy(vault);
    const files = vaultFiles(home);
    expect(existsSync(`${files.db}-wal`)).toBe(true);
    const candidates = [files.db, `${files.db}-wal`, ...filesUnder(embeddedTokenPaths(home).dir)];
    for (const file of candidates) {
      const bytes = readFileSync(file);
      expect(bytes.includes(rootKey), file).toBe(false);
      expect(bytes.includes(Buffer.from(rootKey.toString('base64'))), file).toBe(false);
      expect(bytes.includes(Buffer.from(rootKey.toString('hex'))), file).toBe(false);
      expect(bytes.includes(Buffer.from(PIN)), file).toBe(false);
    }
    expect(readFileSync(files.db).length + readFileSync(`${files.db}-wal`).length).toBeGreaterThan(0);
  });
});
