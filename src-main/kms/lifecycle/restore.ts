import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Door } from '../../../src-shared/caller';
import { KmsError } from '../../../src-shared/errors';
import { backupWrappingKey, openBackup, readBackupManifest, type BackupManifest } from '../../backup/backupFile';
import { checkedPassphraseKdf, derivePin } from '../../crypto/passphraseKdf';
import { secretBuffer } from '../../crypto/secret';
import { writeAtomically } from '../../envelope/atomicFile';
import { loadEmbeddedModule } from '../../hsm/embedded';
import { externalToken } from '../../hsm/externalToken';
import { loadModule } from '../../hsm/module';
import { unsealRootKey } from '../../hsm/rootOfTrust';
import { TokenSession } from '../../hsm/token';
import { recoverRootKey } from '../../recovery/recoverRoot';
import type { RecoveryShare } from '../../recovery/shares';
import { openDatabase } from '../../vault/db';
import { makePrivate } from '../../vault/filePermissions';
import { acquireOwnerLock } from '../../vault/ownerLock';
import { readVault } from '../../vault/vaultRepo';
import { privateFiles, vaultFiles } from './files';
import { noteLocked } from './lastLock';
import { moveRootKey, type MoveTarget } from './moveRoot';

/** How a restore reaches the backup's root key: the token it was sealed on, or M shares of its recovery split. */
export type RootSource =
  | { readonly token: { readonly pin: string; /** The old embedded token's home. */ readonly home?: string | undefined; /** Where the old external token is now, if not where the backup says. */ readonly pkcs11?: string | undefined } }
  | { readonly shares: readonly RecoveryShare[]; /** The custodians whose shares were given, for the record. */ readonly custodians: readonly string[] };

export interface RestoreOptions {
  file: string;
  /** The home to restore into: a new one, or (with `replace`) one holding a vault, which is moved aside, not deleted. */
  home: string;
  replace: boolean;
  from: RootSource;
  /** The token the restored vault will use. */
  to: Omit<MoveTarget, 'home'>;
  door: Door;
}

export interface RestoreResult {
  VaultId: string;
  Home: string;
  Manifest: BackupManifest;
  /** Where the vault that was in the home before now is. */
  ReplacedVault?: string;
  SecurityOfficerPin?: string;
}

/** The root key sealed on the token the backup names, unsealed there with its PIN (the embedded token's: derived from the passphrase). */
function rootFromToken(manifest: BackupManifest, old: Extract<RootSource, { token: unknown }>['token']): Buffer {
  const { Token } = manifest;
  if (Token.Kind === 'embedded' && old.home === undefined) throw new KmsError('ValidationException', 'The backup was sealed on an embedded token: name the home that holds it, or restore with recovery shares.');
  const modulePath = old.pkcs11 === undefined ? Token.Module : externalToken(old.pkcs11).modulePath;
  if (Token.Kind === 'external' && modulePath === null) throw new KmsError('ValidationException', 'The backup names no PKCS#11 module for its token: give one.');
  const module = Token.Kind === 'embedded' ? loadEmbeddedModule(old.home ?? '') : loadModule(modulePath ?? '');
  try {
    const session = TokenSession.open(module, { label: Token.Label, serial: Token.Serial });
    try {
      session.login(Token.Kind === 'embedded' && Token.PassphraseKdf !== undefined ? derivePin(old.pin, checkedPassphraseKdf(Token.PassphraseKdf)) : old.pin);
      const sealed = { mechanism: Token.RootMechanism, objectId: Buffer.from(Token.RootObjectId, 'hex'), wrapped: Buffer.from(Token.RootWrapped, 'base64') };
      const root = unsealRootKey(session, sealed, manifest.VaultId);
      const kept = secretBuffer(root.length);
      root.copy(kept);
      root.fill(0);
      return kept;
    } finally {
      session.close();
    }
  } finally {
    module.release();
  }
}

/**
 * Puts the staging home in place: renamed to `home`, or, into a home that
 * exists without a vault (the app's data folder), its files moved in, the
 * token before the database, which is what makes the vault.
 */
function place(staging: string, home: string): void {
  if (!existsSync(home)) {
    renameSync(staging, home);
    return;
  }
  const entries = readdirSync(staging).sort((a, b) => Number(a.startsWith('vault.sqlite')) - Number(b.startsWith('vault.sqlite')));
  for (const entry of entries) renameSync(join(staging, entry), join(home, entry));
  rmSync(staging, { recursive: true, force: true });
}

/** The backup's root key, from its old token or from shares of its recovery split. */
async function rootOfBackup(manifest: BackupManifest, from: RootSource): Promise<Buffer> {
  if ('token' in from) return rootFromToken(manifest, from.token);
  const split = manifest.RecoverySplit;
  if (split === undefined) throw new KmsError('ValidationException', 'The backup was made before the vault had a recovery split: restore it with its token.');
  return recoverRootKey(from.shares, { vaultId: manifest.VaultId, splitId: split.SplitId, wrappedRoot: Buffer.from(split.WrappedRoot, 'base64') });
}

/**
 * Restores the backup `options.file` into `options.home` on a new token:
 * reaches the root key (old token or shares), decrypts the database into a
 * staging home beside the target, checks it is the backup's vault, seals
 * the root key onto the new token there and records the restore
 * (moveRootKey), then puts the staging home in place. A vault already in
 * the home is replaced only with `replace`, and then moved aside to
 * HOME.replaced-DATE, never deleted; any failure before the last step
 * leaves the home as it was and removes the staging home.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const manifest = await readBackupManifest(options.file);
  const existing = existsSync(vaultFiles(options.home).db);
  if (existing && !options.replace) throw new KmsError('AlreadyExistsException', `${options.home} already holds a vault. Restore into another home, or replace it (--force): it is kept as ${basename(options.home)}.replaced-DATE.`);
  const inTheWay = existing ? undefined : ['token', 'vault.sqlite-wal'].map((name) => join(options.home, name)).find((path) => existsSync(path));
  if (inTheWay !== undefined) throw new KmsError('AlreadyExistsException', `${inTheWay} is in the way of the restored vault: move it aside, or restore into another home.`);
  const lock = existing ? acquireOwnerLock(vaultFiles(options.home).lock) : undefined; // no one may use the vault being replaced
  const staging = join(dirname(options.home), `.${basename(options.home)}.restoring-${randomBytes(4).toString('hex')}`);
  let placed = false;
  try {
    const rootKey = await rootOfBackup(manifest, options.from);
    let soPin: string | undefined;
    try {
      const wrappingKey = backupWrappingKey(rootKey, manifest.VaultId);
      const files = vaultFiles(staging);
      mkdirSync(staging, { recursive: true, mode: 0o700 });
      try {
        await writeAtomically(files.db, openBackup(options.file, wrappingKey, manifest.VaultId), false);
      } finally {
        wrappingKey.fill(0);
      }
      const db = openDatabase(files.db);
      try {
        makePrivate(staging, privateFiles(files));
        if (readVault(db)?.vaultId !== manifest.VaultId) throw new KmsError('InvalidCiphertextException', `${options.file} holds a database of another vault than its manifest says.`);
        const how = 'token' in options.from ? { unlockedWith: 'token' } : { unlockedWith: 'recovery shares', splitId: manifest.RecoverySplit?.SplitId, custodians: options.from.custodians.join(', ') };
        ({ soPin } = moveRootKey(db, rootKey, { ...options.to, home: staging }, { eventName: 'RestoreVault', door: options.door, request: { file: options.file, backupDate: manifest.BackupDate, ...how } }));
        noteLocked(db, 'closed', Date.now()); // not the unlocked state the backup was made in
      } finally {
        db.close();
      }
    } finally {
      rootKey.fill(0);
    }
    const replaced = existing ? `${options.home}.replaced-${new Date().toISOString().replaceAll(':', '-')}` : undefined;
    lock?.release();
    if (replaced !== undefined) renameSync(options.home, replaced);
    try {
      place(staging, options.home);
    } catch (error) {
      if (replaced !== undefined) renameSync(replaced, options.home);
      throw error;
    }
    placed = true;
    return { VaultId: manifest.VaultId, Home: options.home, Manifest: manifest, ...(replaced === undefined ? {} : { ReplacedVault: replaced }), ...(soPin === undefined ? {} : { SecurityOfficerPin: soPin }) };
  } finally {
    lock?.release();
    if (!placed) rmSync(staging, { recursive: true, force: true });
  }
}
