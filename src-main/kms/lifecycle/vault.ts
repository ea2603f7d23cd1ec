import { existsSync } from 'node:fs';
import { DEFAULT_AUTO_LOCK_SECONDS, MAX_AUTO_LOCK_SECONDS } from '../../../src-shared/limits';
import { KmsError } from '../../../src-shared/errors';
import type { VaultStatus } from '../../../src-shared/vault';
import { SecretBytes } from '../../crypto/secret';
import { forgetRandomPool } from '../../crypto/random';
import { loadEmbeddedModule } from '../../hsm/embedded';
import { isTokenGone } from '../../hsm/errors';
import { loadModule, type LoadedModule } from '../../hsm/module';
import { unsealRootKey } from '../../hsm/rootOfTrust';
import { TokenSession } from '../../hsm/token';
import { openDatabase, type Db } from '../../vault/db';
import { makePrivate, refuseWritableByOthers } from '../../vault/filePermissions';
import { acquireOwnerLock, type OwnerLock } from '../../vault/ownerLock';
import { readSetting, readVault, type VaultRecord } from '../../vault/vaultRepo';
import { AuditLog } from '../../audit/auditLog';
import { AuditCheckpointer } from '../../audit/checkpointer';
import { auditEvent, type Actor } from '../../audit/events';
import type { AuditEvent } from '../../audit/record';
import { rootCaller, type Door } from '../../../src-shared/caller';
import { Users } from '../engine/users';
import { AgeIdentitiesRepo } from '../../vault/ageIdentitiesRepo';
import { ContactsRepo } from '../../vault/contactsRepo';
import { RecoveryRepo } from '../../vault/recoveryRepo';
import { KeyStore } from '../engine/keyStore';
import { RetrySchedule } from '../engine/retrySchedule';
import { privateFiles, vaultFiles, type VaultFiles } from './files';
import { lockReasonText, lockStatus, noteLocked, noteUnlocked, readLastLock, type LastLock, type LockReason } from './lastLock';
import { changeUserPin, loginUser, resetUserPin } from './userPin';
import { assertMayTryUnlock, clearUnlockFailures, countUnlockTry, failedUnlock, unlockAttemptsStatus, writeMaxUnlockAttempts, type Failures } from './unlockAttempts';
import { openSealedState, writeSealedSetting } from './vaultState';

/** What an operation may use while the vault is unlocked. */
export interface Unlocked {
  readonly session: TokenSession;
  readonly rootKey: SecretBytes;
}

/** What the composition root gives a vault: the work it does once a minute while unlocked (due deletions and rotations). */
export interface VaultServices {
  readonly maintain?: (vault: Vault, now: number) => void;
  /** The clock that times the waits between failed unlocks (Date.now unless given). */
  readonly now?: () => number;
}

interface Held extends Unlocked {
  readonly module: LoadedModule;
}

const HEALTH_CHECK_MS = 2000;
const MAINTENANCE_MS = 60_000;
const AUTO_LOCK_SETTING = 'auto_lock_seconds';

/**
 * One open vault, owned by this process: its database, its owner lock, and
 * while unlocked a logged-in token session and the root key in memory. Every
 * cached key byte is zero-filled when it locks.
 */
export class Vault {
  private held: Held | undefined;
  /** Signs checkpoints of the audit chain while unlocked (audit/checkpointer.ts). */
  private checkpointer: AuditCheckpointer | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private maintenanceTimer: NodeJS.Timeout | undefined;
  private lastLock: LastLock | undefined;
  private autoLock: number | undefined;
  private lastActivity = 0;
  private closed = false;
  private readonly lockListeners = new Set<(reason: LockReason) => void>();

  /** The vault's KMS keys, aliases and tags, and the cache of unwrapped backing keys. */
  readonly store: KeyStore;
  /** The IAM users of the vault's account and their access keys. */
  readonly users: Users;
  /** The people files are encrypted for: named public keys. */
  readonly contacts: ContactsRepo;
  /** The age identities that open age files sent to the vault's owner. */
  readonly ageIdentities: AgeIdentitiesRepo;
  /** The split of the root key's recovery secret among custodians. */
  readonly recovery: RecoveryRepo;
  /** The hash-chained audit log. */
  readonly audit: AuditLog;
  /** When failed deletions and rotations may be tried again. */
  readonly retries = new RetrySchedule();

  private constructor(
    readonly files: VaultFiles,
    readonly db: Db,
    private readonly ownerLock: OwnerLock,
    readonly record: VaultRecord,
    readonly source: Door,
    private readonly services: VaultServices,
  ) {
    this.store = new KeyStore(db, record.region, record.accountId);
    this.users = new Users(db, this.store.seal, record.accountId);
    this.contacts = new ContactsRepo(db, this.store.seal);
    this.ageIdentities = new AgeIdentitiesRepo(db, this.store.seal);
    this.recovery = new RecoveryRepo(db, this.store.seal);
    this.audit = new AuditLog(db);
    this.lastLock = readLastLock(db);
  }

  /** Who acts on the vault itself (unlock, lock, settings), for the audit log: the account root while unlocked, someone unidentified otherwise. */
  private actor(): Actor {
    return this.held ? { caller: rootCaller(this.record.accountId, this.source) } : { unknown: this.source };
  }

  /**
   * Opens the initialized vault in `home` for this process alone
   * (VaultInUseException names another holder's pid). `source` names the
   * door that holds it, in the records of what it does itself; `services`
   * come from the composition root (bootstrap.ts).
   */
  static open(home: string, source: Door = 'app', services: VaultServices = {}): Vault {
    const files = vaultFiles(home);
    if (!existsSync(files.db)) {
      throw new KmsError('VaultNotInitializedException', `There is no vault in ${home}. Create one with "strongroom init".`);
    }
    refuseWritableByOthers(home, privateFiles(files));
    const ownerLock = acquireOwnerLock(files.lock);
    let db: Db | undefined;
    try {
      db = openDatabase(files.db);
      makePrivate(home, privateFiles(files));
      const record = readVault(db);
      if (record === undefined) {
        throw new KmsError('VaultNotInitializedException', `The vault in ${home} was never initialized. Create it with "strongroom init".`);
      }
      return new Vault(files, db, ownerLock, record, source, services);
    } catch (error) {
      db?.close();
      ownerLock.release();
      throw error;
    }
  }

  /** True while the root key is in memory. */
  get isUnlocked(): boolean {
    return this.held !== undefined;
  }

  /** Idle seconds before auto-lock; 0 means never. */
  get autoLockSeconds(): number {
    this.autoLock ??= autoLockSeconds(this.db);
    return this.autoLock;
  }

  /** Sets the idle time before auto-lock (0 = never, up to a day) and restarts the idle clock; the change, or its refusal, is recorded as SetAutoLock. */
  setAutoLockSeconds(seconds: number): void {
    const requestParameters = { autoLockSeconds: String(seconds) };
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_AUTO_LOCK_SECONDS) {
      const error = new KmsError('ValidationException', `Auto-lock must be a whole number of seconds from 0 (never) to ${String(MAX_AUTO_LOCK_SECONDS)}.`);
      this.auditLifecycle('SetAutoLock', error, requestParameters);
      throw error;
    }
    this.audit.recordWithChange(
      () => {
        writeSealedSetting(this.db, this.store, this.record, AUTO_LOCK_SETTING, String(seconds));
      },
      () => this.lifecycleEvent('SetAutoLock', undefined, requestParameters),
    );
    this.autoLock = seconds;
    if (this.held) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
      this.restartIdleTimer();
    }
  }

  /** Calls `listener` each time the vault locks, with the reason. Returns a function that stops it. */
  onLock(listener: (reason: LockReason) => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  /** A summary of the vault for people and scripts; nothing secret. */
  status(): VaultStatus {
    return {
      ...describeRecord(this.files.home, this.record),
      State: this.held ? 'Unlocked' : 'Locked',
      AutoLockSeconds: this.autoLockSeconds,
      ...(this.held ? this.autoLockAt() : lockStatus(this.lastLock)),
      ...unlockAttemptsStatus(this.db, this.now()),
    };
  }

  /** When the idle lock comes if nothing happens before (seconds since the epoch); reading it is no activity. */
  private autoLockAt(): { AutoLockAt?: number } {
    return this.autoLockSeconds === 0 ? {} : { AutoLockAt: (this.lastActivity + this.autoLockSeconds * 1000) / 1000 };
  }

  private loadModule(): LoadedModule {
    const { tokenKind, modulePath } = this.record;
    if (tokenKind === 'embedded') return loadEmbeddedModule(this.files.home);
    if (modulePath === null) throw new KmsError('VaultCorruptException', 'The vault names an external token but no PKCS#11 module.');
    return loadModule(modulePath);
  }

  private now(): number {
    return this.services.now?.() ?? Date.now();
  }

  /**
   * Logs in to the token with `pin` and decrypts the root key there.
   * Unlocking an unlocked vault does nothing. Failed tries are counted,
   * delayed and locked out (unlockAttempts.ts); each refusal is recorded.
   */
  unlock(pin: string): void {
    this.assertOpen();
    if (this.held) return;
    this.audit.assertWritable();
    const now = this.now();
    try {
      assertMayTryUnlock(this.db, now);
    } catch (error) {
      this.auditLifecycle('Unlock', error);
      throw error;
    }
    const module = this.loadModule();
    let session: TokenSession | undefined;
    let counted: Failures | undefined;
    let upgraded = false;
    let rootKey: SecretBytes;
    try {
      session = TokenSession.open(module, { label: this.record.tokenLabel, serial: this.record.tokenSerial });
      counted = countUnlockTry(this.db, now);
      upgraded = loginUser(session, this.db, this.record.tokenKind, pin);
      const sealed = { mechanism: this.record.rootMechanism, objectId: this.record.rootObjectId, wrapped: this.record.rootWrapped };
      rootKey = SecretBytes.adopt(unsealRootKey(session, sealed, this.record.vaultId));
      this.held = { module, session, rootKey };
    } catch (caught) {
      session?.close();
      module.release();
      throw this.failedPinTry('Unlock', caught, counted).error;
    }
    let firstSeal: boolean;
    try {
      firstSeal = this.db
        .transaction(() => {
          const first = openSealedState(this.db, this.store, this.record, rootKey.value, session);
          this.autoLock = autoLockSeconds(this.db); // read in the snapshot whose seals were checked
          return first;
        })
        .immediate();
    } catch (error) {
      this.teardown();
      clearUnlockFailures(this.db); // the PIN was right: a changed file is no guess
      this.auditLifecycle('Unlock', error);
      throw error;
    }
    try {
      if (upgraded) this.auditLifecycle('UpgradePin', undefined, { kdf: 'argon2id' });
      if (firstSeal) this.auditLifecycle('SealVaultState');
      this.auditLifecycle('Unlock');
      this.checkpointer = new AuditCheckpointer(this.db, this.held.session, this.record.vaultId);
    } catch (error) {
      this.teardown(); // unrecorded, so not unlocked
      throw error;
    }
    clearUnlockFailures(this.db);
    noteUnlocked(this.db);
    this.lastLock = undefined;
    this.ownerLock.setState('unlocked');
    this.restartIdleTimer();
    this.healthTimer = setInterval(() => {
      if (this.held && !this.held.session.isAlive()) this.lock('token-removed');
    }, HEALTH_CHECK_MS).unref();
    this.maintain();
    this.maintenanceTimer = setInterval(() => {
      this.maintain();
    }, MAINTENANCE_MS).unref();
  }

  /**
   * Records the lock and signs a last audit checkpoint over it, then
   * zero-fills the root key and every cached backing key and logs out and
   * closes the token session (locking never fails with the audit log).
   * Locking a locked vault does nothing.
   */
  lock(reason: LockReason = 'requested'): void {
    if (!this.held) return;
    const at = Date.now();
    this.lastLock = { reason, at };
    try {
      this.auditLifecycle('Lock', undefined, { reason });
    } catch {
      // The keys go either way; a failed log refuses the next call.
    }
    this.checkpointer?.close(() => {
      this.audit.flush();
    });
    this.checkpointer = undefined;
    this.teardown();
    noteLocked(this.db, reason, at);
    if (!this.closed) this.ownerLock.setState('locked');
    for (const listener of this.lockListeners) listener(reason);
  }

  /** Forgets every secret and stops every timer of the unlocked state. */
  private teardown(): void {
    const held = this.held;
    this.held = undefined;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    clearInterval(this.healthTimer);
    clearInterval(this.maintenanceTimer);
    this.store.clearCache();
    this.users.clearCache();
    this.store.useSeal(undefined);
    this.retries.clear();
    forgetRandomPool();
    if (held === undefined) return;
    held.rootKey.destroy();
    held.session.close();
    held.module.release();
  }

  /**
   * Runs `fn` with the unlocked vault and restarts the idle clock.
   * VaultLockedException when locked; if the token turns out to be gone,
   * the vault locks itself and the error says why.
   */
  use<T>(fn: (unlocked: Unlocked) => T): T {
    this.assertOpen();
    const held = this.held;
    if (!held) {
      const why = this.lastLock ? ` ${lockReasonText(this.lastLock.reason)}` : '';
      throw new KmsError('VaultLockedException', `The vault is locked.${why} Unlock it with the token PIN.`);
    }
    this.restartIdleTimer();
    try {
      return fn(held);
    } catch (error) {
      if (isTokenGone(error)) this.lock('token-removed');
      this.lockIfTampered(error);
      throw error;
    }
  }

  /** What the token holds for the audit log (its checkpoint, the audit public key), for `audit verify`; VaultLockedException while locked. */
  auditTokenEvidence(): ReturnType<AuditCheckpointer['tokenEvidence']> {
    return this.use(() => this.checkpointer?.tokenEvidence() ?? { checkpoint: undefined, publicKey: undefined });
  }

  /** `data` signed by the vault's audit key on the token (a ceremony transcript); VaultLockedException while locked. */
  signWithAuditKey(data: Buffer): ReturnType<AuditCheckpointer['sign']> {
    return this.use(() => {
      if (this.checkpointer === undefined) throw new KmsError('VaultLockedException', 'The vault is locked. Unlock it with the token PIN.');
      return this.checkpointer.sign(data);
    });
  }

  /**
   * Locks when `error` says the vault file was changed outside Strongroom.
   * Inside a transaction (which the error rolls back, with any record made
   * in it) the lock follows as soon as the call has unwound; until then
   * the changed row, never cached, fails every call that reads it.
   */
  private lockIfTampered(error: unknown): void {
    if (!(error instanceof KmsError) || error.type !== 'TamperedVaultException') return;
    if (this.db.inTransaction) {
      queueMicrotask(() => {
        this.lock('tampered');
      });
    } else {
      this.lock('tampered');
    }
  }

  /**
   * Settles a failed try of a PIN (`counted`: the count before it, when it
   * was counted): records it as `eventName`, and a LockOut when it used the
   * last try, and returns the error to throw, which says the tries left.
   */
  private failedPinTry(eventName: string, caught: unknown, counted: Failures | undefined): { error: unknown; lockedOut: boolean } {
    const settled = counted === undefined ? { error: caught, lockedOut: false } : failedUnlock(this.db, caught, counted);
    this.auditLifecycle(eventName, settled.error);
    if (settled.lockedOut) this.auditLifecycle('LockOut', undefined, { failedUnlocks: String((counted?.count ?? 0) + 1) });
    return settled;
  }

  /**
   * Changes the token's user PIN, unlocking with the current PIN first if
   * needed. The current PIN is tried like an unlock also when the vault is
   * already unlocked (counted, delayed, locked out: the last wrong try locks
   * the vault), so that changing the PIN is no way to guess it.
   */
  changePin(currentPin: string, newPin: string): void {
    this.unlock(currentPin);
    let counted: Failures | undefined;
    try {
      this.use(({ session }) => {
        const now = this.now();
        assertMayTryUnlock(this.db, now);
        counted = countUnlockTry(this.db, now);
        changeUserPin(session, this.db, this.record.tokenKind, currentPin, newPin);
      });
    } catch (caught) {
      const { error, lockedOut } = this.failedPinTry('ChangePin', caught, counted);
      if (lockedOut) this.lock('locked-out');
      throw error;
    }
    clearUnlockFailures(this.db);
    this.auditLifecycle('ChangePin');
  }

  /**
   * Sets a new user PIN (the embedded token: passphrase) with the token's
   * security-officer PIN and clears the count of failed unlocks: the way out
   * of a lockout, and of a PIN the token itself blocked. Locks the vault first.
   */
  resetPin(soPin: string, newPin: string): void {
    this.assertOpen();
    this.lock();
    const module = this.loadModule();
    try {
      const session = TokenSession.open(module, { label: this.record.tokenLabel, serial: this.record.tokenSerial });
      try {
        resetUserPin(session, this.db, this.record.tokenKind, soPin, newPin);
      } finally {
        session.close();
      }
      clearUnlockFailures(this.db);
    } catch (error) {
      this.auditLifecycle('ResetPin', error);
      throw error;
    } finally {
      module.release();
    }
    this.auditLifecycle('ResetPin');
  }

  /** Sets how many failed unlocks in a row lock the vault out (1 to 100); the change, or its refusal, is recorded as SetUnlockAttempts. */
  setMaxUnlockAttempts(attempts: number): void {
    const requestParameters = { maxUnlockAttempts: String(attempts) };
    try {
      this.audit.recordWithChange(
        () => {
          writeMaxUnlockAttempts(this.db, attempts);
        },
        () => this.lifecycleEvent('SetUnlockAttempts', undefined, requestParameters),
      );
    } catch (error) {
      this.auditLifecycle('SetUnlockAttempts', error, requestParameters);
      throw error;
    }
  }

  /** Locks, closes the database and gives up ownership. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.lock('closed');
      this.audit.close();
    } finally {
      this.db.close();
      this.ownerLock.release();
    }
  }

  /**
   * Deletes keys whose deletion date has passed and performs due rotations.
   * Each key's outcome is in the audit log; a failure of the sweep itself
   * (the vault file unwritable) is left for the next run, a minute later.
   */
  private maintain(): void {
    try {
      this.services.maintain?.(this, Date.now());
    } catch (error) {
      this.lockIfTampered(error);
      // Otherwise retried by the next run; the calls people make report such a failure themselves.
    }
  }

  /** Records what was done to the vault as a whole (a backup, say), or its failure, by the account root through this vault's door. */
  recordVaultEvent(eventName: string, request: Record<string, string>, error?: unknown): void {
    this.auditLifecycle(eventName, error, request, { caller: rootCaller(this.record.accountId, this.source) });
  }

  /** Records an unlock, lock, PIN or setting change (and its failure) in the audit log. */
  private auditLifecycle(eventName: string, error?: unknown, requestParameters?: Record<string, string>, actor = this.actor()): void {
    this.audit.record(this.lifecycleEvent(eventName, error, requestParameters, actor));
  }

  /** The audit event of an unlock, lock, PIN or setting change, or of its failure. */
  private lifecycleEvent(eventName: string, error?: unknown, requestParameters?: Record<string, string>, actor = this.actor()): AuditEvent {
    return auditEvent({ eventName, actor, kind: 'change', ...(requestParameters === undefined ? {} : { request: requestParameters }), ...(error === undefined ? {} : { error }) });
  }

  private assertOpen(): void {
    if (this.closed) throw new KmsError('KMSInvalidStateException', 'The vault has been closed.');
  }

  /** Notes activity; the idle timer, armed once, re-arms itself for whatever idle time is left when it fires. */
  private restartIdleTimer(): void {
    this.lastActivity = Date.now();
    if (this.idleTimer === undefined) this.armIdleTimer(this.autoLockSeconds * 1000);
  }

  private armIdleTimer(delayMs: number): void {
    if (this.autoLockSeconds === 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      const left = this.lastActivity + this.autoLockSeconds * 1000 - Date.now();
      if (left > 0) this.armIdleTimer(left);
      else this.lock('idle');
    }, delayMs).unref();
  }
}

/** The idle seconds before auto-lock stored in `db` (the default when none is set). */
export function autoLockSeconds(db: Db): number {
  const stored = readSetting(db, AUTO_LOCK_SETTING);
  return stored === undefined ? DEFAULT_AUTO_LOCK_SECONDS : Number(stored);
}

/** The identity and token parts of a status, from the stored record. */
export function describeRecord(home: string, record: VaultRecord): Omit<VaultStatus, 'State'> {
  return {
    Home: home,
    Initialized: true,
    VaultId: record.vaultId,
    AccountId: record.accountId,
    Region: record.region,
    CreationDate: new Date(record.createdAt).toISOString(),
    Token: { Embedded: record.tokenKind === 'embedded', Module: record.modulePath ?? 'SoftHSM2 (embedded)', Label: record.tokenLabel, Serial: record.tokenSerial },
    RootOfTrust: record.rootMechanism,
  };
}
