import { randomInt, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { DEFAULT_REGION } from '../../../src-shared/limits';
import { KmsError } from '../../../src-shared/errors';
import type { RootOfTrustKind } from '../../../src-shared/vault';
import { SecretBytes } from '../../crypto/secret';
import { checkPinLength, embeddedTokenPaths, provisionEmbeddedToken } from '../../hsm/embedded';
import { loadModule, type LoadedModule } from '../../hsm/module';
import { destroyRootOfTrust, sealRootKey } from '../../hsm/rootOfTrust';
import { TokenSession, type TokenSelector } from '../../hsm/token';
import { externalToken } from '../../hsm/externalToken';
import { auditObjectId } from '../../hsm/auditKey';
import { ensureAuditKey } from '../../audit/checkpointer';
import { openDatabase, type Db } from '../../vault/db';
import { makePrivate } from '../../vault/filePermissions';
import { acquireOwnerLock } from '../../vault/ownerLock';
import { StateSeal } from '../../vault/stateSeal';
import { insertVault, readVault, type VaultRecord } from '../../vault/vaultRepo';
import { privateFiles, vaultFiles } from './files';
import { assertStrongPassphrase, newEmbeddedPin, writePassphraseKdf } from './userPin';
import { sealVaultRecord } from './vaultState';

export interface InitOptions {
  home: string;
  pin: string;
  /** A PKCS#11 module path or RFC 7512 URI; absent for the embedded SoftHSM2 token. */
  pkcs11?: string | undefined;
  /** The token's label: of the embedded token to create, or of the existing token to use. */
  tokenLabel?: string | undefined;
  rootOfTrust: RootOfTrustKind;
}

export interface InitResult {
  vaultId: string;
  accountId: string;
  /** The embedded token's security-officer PIN: shown once, stored nowhere. */
  soPin?: string;
}

const EMBEDDED_LABEL = 'Strongroom';

/** A random 12-digit account id that does not start with 0. */
function newAccountId(): string {
  return String(randomInt(1, 10)) + Array.from({ length: 11 }, () => String(randomInt(10))).join('');
}

/**
 * Creates a vault in `options.home`: connects the token (provisioning the
 * embedded SoftHSM2 one when no module is given), creates the root-of-trust
 * key on it, and stores the root key sealed under it, and the vault record
 * sealed under a key derived from the root key. Either all of it is
 * done or nothing is left behind. The vault is left locked.
 */
export function initVault(options: InitOptions): InitResult {
  const files = vaultFiles(options.home);
  const embedded = options.pkcs11 === undefined;
  if (embedded) assertStrongPassphrase(options.pin);
  mkdirSync(options.home, { recursive: true, mode: 0o700 });
  makePrivate(options.home, []); // an existing directory too
  const ownerLock = acquireOwnerLock(files.lock);
  const dbExisted = existsSync(files.db);
  const tokenDir = embeddedTokenPaths(options.home).dir;
  let db: Db | undefined;
  let module: LoadedModule | undefined;
  let session: TokenSession | undefined;
  let objectId: Buffer | undefined;
  let createdTokenDir = false;
  const rootKey = SecretBytes.random(32);
  let failed = true;
  try {
    db = openDatabase(files.db);
    makePrivate(options.home, privateFiles(files)); // made under the umask: 0644 under the usual 022
    if (readVault(db) !== undefined) {
      throw new KmsError('VaultAlreadyInitializedException', `${options.home} already holds a vault. Use another --home, or unlock this one.`);
    }
    let selector: TokenSelector;
    let modulePath: string | null = null;
    let soPin: string | undefined;
    // The embedded token's PIN is derived from the passphrase; an external token takes the PIN as given.
    const embeddedPin = embedded ? newEmbeddedPin(options.pin) : undefined;
    const tokenPin = embeddedPin?.pin ?? options.pin;
    if (embedded) {
      if (existsSync(tokenDir)) {
        throw new KmsError('VaultAlreadyInitializedException', `${tokenDir} already exists. Move it away if it is not in use, then run init again.`);
      }
      createdTokenDir = true;
      const label = options.tokenLabel ?? EMBEDDED_LABEL;
      ({ module, soPin } = provisionEmbeddedToken(options.home, label, tokenPin));
      selector = { label };
    } else {
      const external = externalToken(options.pkcs11 ?? '', options.tokenLabel);
      modulePath = external.modulePath;
      selector = external.selector;
      module = loadModule(modulePath);
    }
    session = TokenSession.open(module, selector);
    checkPinLength(tokenPin, session.token.minPinLength, session.token.maxPinLength);
    session.login(tokenPin);
    const vaultId = randomUUID();
    const sealed = sealRootKey(session, options.rootOfTrust, vaultId, rootKey.value);
    objectId = sealed.objectId;
    const record: VaultRecord = {
      vaultId,
      accountId: newAccountId(),
      region: DEFAULT_REGION,
      createdAt: Date.now(),
      tokenKind: embedded ? 'embedded' : 'external',
      modulePath,
      tokenLabel: session.token.label,
      tokenSerial: session.token.serial,
      rootMechanism: sealed.mechanism,
      rootObjectId: sealed.objectId,
      rootWrapped: sealed.wrapped,
    };
    const stored = db;
    const seal = StateSeal.derive(rootKey.value, vaultId);
    try {
      stored.transaction(() => {
        insertVault(stored, record);
        sealVaultRecord(stored, seal, record);
        if (embeddedPin) writePassphraseKdf(stored, embeddedPin.kdf);
      })();
    } finally {
      seal.destroy();
    }
    ensureAuditKey(db, session, vaultId);
    failed = false;
    return { vaultId, accountId: record.accountId, ...(soPin === undefined ? {} : { soPin }) };
  } finally {
    rootKey.destroy();
    try {
      if (failed && session && objectId) {
        destroyRootOfTrust(session, objectId);
        destroyRootOfTrust(session, auditObjectId(objectId));
      }
    } finally {
      session?.close();
      module?.release();
      db?.close();
      if (failed && createdTokenDir) rmSync(tokenDir, { recursive: true, force: true });
      if (failed && !dbExisted) for (const suffix of ['', '-wal', '-shm']) rmSync(files.db + suffix, { force: true });
      ownerLock.release({ forget: failed && !dbExisted });
    }
  }
}
