import { randomInt, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { REGION_NAME } from '../../../src-shared/arn';
import { DEFAULT_REGION } from '../../../src-shared/limits';
import { KmsError } from '../../../src-shared/errors';
import type { RootOfTrustKind } from '../../../src-shared/vault';
import { SecretBytes } from '../../crypto/secret';
import { ensureAuditKey } from '../../audit/checkpointer';
import { openDatabase, type Db } from '../../vault/db';
import { makePrivate } from '../../vault/filePermissions';
import { acquireOwnerLock } from '../../vault/ownerLock';
import { StateSeal } from '../../vault/stateSeal';
import { insertVault, readVault, type VaultRecord } from '../../vault/vaultRepo';
import { privateFiles, vaultFiles } from './files';
import { connectNewToken, type NewToken, type TokenChoice } from './newToken';
import { assertStrongPassphrase, writePassphraseKdf } from './userPin';
import { sealVaultRecord } from './vaultState';

export interface InitOptions extends TokenChoice {
  rootOfTrust: RootOfTrustKind;
  /** The Region the vault's ARNs name (a name such as eu-west-1, for a vault that holds multi-Region keys); "local" by default. */
  region?: string | undefined;
}


export interface InitResult {
  vaultId: string;
  accountId: string;
  /** The embedded token's security-officer PIN: shown once, stored nowhere. */
  soPin?: string;
}

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
  if (options.pkcs11 === undefined) assertStrongPassphrase(options.pin);
  if (options.region !== undefined && !REGION_NAME.test(options.region)) throw new KmsError('ValidationException', `"${options.region}" is not a Region name such as eu-west-1.`);
  mkdirSync(options.home, { recursive: true, mode: 0o700 });
  makePrivate(options.home, []); // an existing directory too
  const ownerLock = acquireOwnerLock(files.lock);
  const dbExisted = existsSync(files.db);
  let db: Db | undefined;
  let token: NewToken | undefined;
  const rootKey = SecretBytes.random(32);
  let failed = true;
  try {
    db = openDatabase(files.db);
    makePrivate(options.home, privateFiles(files)); // made under the umask: 0644 under the usual 022
    if (readVault(db) !== undefined) {
      throw new KmsError('VaultAlreadyInitializedException', `${options.home} already holds a vault. Use another --home, or unlock this one.`);
    }
    token = connectNewToken(options);
    const vaultId = randomUUID();
    const record: VaultRecord = {
      vaultId,
      accountId: newAccountId(),
      region: options.region ?? DEFAULT_REGION,
      createdAt: Date.now(),
      ...token.sealRoot(options.rootOfTrust, vaultId, rootKey.value),
    };
    const stored = db;
    const kdf = token.passphraseKdf;
    const seal = StateSeal.derive(rootKey.value, vaultId);
    try {
      stored.transaction(() => {
        insertVault(stored, record);
        sealVaultRecord(stored, seal, record);
        if (kdf) writePassphraseKdf(stored, kdf);
      })();
    } finally {
      seal.destroy();
    }
    ensureAuditKey(db, token.session, vaultId);
    failed = false;
    return { vaultId, accountId: record.accountId, ...(token.soPin === undefined ? {} : { soPin: token.soPin }) };
  } finally {
    rootKey.destroy();
    try {
      token?.close(failed);
    } finally {
      db?.close();
      if (failed && !dbExisted) for (const suffix of ['', '-wal', '-shm']) rmSync(files.db + suffix, { force: true });
      ownerLock.release({ forget: failed && !dbExisted });
    }
  }
}
