import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { KmsError } from '../../../src-shared/errors';
import type { CustomKeyStoresListEntry } from '../../../src-shared/kms/shapes.generated';
import { unwrapStorePin } from '../../crypto/backingKeys';
import { loadModule, type LoadedModule } from '../../hsm/module';
import { TokenSession, findToken, type TokenSelector } from '../../hsm/token';
import { formatPkcs11Uri, parsePkcs11Uri } from '../../hsm/uri';
import type { CustomKeyStoreRow } from '../../vault/customKeyStoresRepo';
import type { Unlocked, Vault } from '../lifecycle/vault';

type Entry = z.input<ReturnType<typeof CustomKeyStoresListEntry>>;
type ErrorCode = NonNullable<Entry['ConnectionErrorCode']>;

/** A store's open session: the vault's own (on the vault's own token), or one of its own, which `release` closes (with the module it loaded). */
interface Connection {
  readonly session: TokenSession;
  readonly release?: () => void;
}

/** What the vault knows of its stores' connections while it is unlocked: the open sessions, and the last failure of each store that failed. */
interface Connections {
  readonly open: Map<string, Connection>;
  readonly failed: Map<string, ErrorCode>;
}

const connectionsByVault = new WeakMap<Vault, Connections>();

/** The connections of `vault`, closed (and forgotten) each time it locks. */
function connectionsOf(vault: Vault): Connections {
  let connections = connectionsByVault.get(vault);
  if (connections === undefined) {
    const made: Connections = { open: new Map(), failed: new Map() };
    vault.onLock(() => {
      for (const id of [...made.open.keys()]) close(made, id);
      made.failed.clear();
    });
    connectionsByVault.set(vault, made);
    connections = made;
  }
  return connections;
}

function close(connections: Connections, id: string): void {
  const connection = connections.open.get(id);
  connections.open.delete(id);
  connection?.release?.(); // the vault's own session stays the vault's
}

/** The token a store's URI names: the module (undefined: the vault's own) and the selector. IncorrectTrustAnchorException for a URI that is not one. */
export function tokenOfUri(uri: string): { modulePath: string | undefined; selector: TokenSelector } {
  let parsed;
  try {
    parsed = parsePkcs11Uri(uri);
  } catch (error) {
    throw new KmsError('IncorrectTrustAnchorException', `TrustAnchorCertificate holds the token's PKCS#11 URI (RFC 7512) in Strongroom: ${(error as Error).message}`);
  }
  const { modulePath, token, serial, manufacturer, model, slotId } = parsed;
  const selector: TokenSelector = { ...(token === undefined ? {} : { label: token }), ...(serial === undefined ? {} : { serial }), ...(manufacturer === undefined ? {} : { manufacturer }), ...(model === undefined ? {} : { model }), ...(slotId === undefined ? {} : { slotId }) };
  return { modulePath, selector };
}

/** AWS's CloudHsmClusterId for a token: `cluster-` and 16 base32 letters of a hash of its module and serial number. */
export function clusterIdOf(modulePath: string, serial: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const hash = createHash('sha256').update(`${modulePath}\0${serial}`).digest();
  return `cluster-${Array.from(hash.subarray(0, 16), (byte) => alphabet[byte % 32] ?? 'a').join('')}`;
}

/** A token a store names, found: its session (open, logged in where `pin` is given), and whether it is the vault's own token. */
export interface FoundToken {
  readonly connection: Connection;
  readonly own: boolean;
  readonly uri: string;
  readonly clusterId: string;
}

/**
 * Finds the token a store's URI names and opens a session with it: the
 * vault's own token (a URI without module-path, or naming the vault's
 * module and token) uses the vault's session; any other is opened with its
 * module and logged in with `pin`. CloudHsmClusterNotFoundException when no
 * token matches; CloudHsmClusterInvalidConfigurationException when its
 * module cannot be used. (What each kind of key needs of the token is
 * checked when such a key is created.)
 */
export function openToken(unlocked: Unlocked, uri: string, pin: () => string | undefined): FoundToken {
  const { modulePath, selector } = tokenOfUri(uri);
  const own = unlocked.session;
  const ownPath = own.module.path;
  if (modulePath === undefined || modulePath === ownPath) {
    const { token } = notFoundAs(() => findToken(own.module, selector));
    if (token.serial === own.token.serial) return found({ session: own }, true, ownPath, token.serial, token.label);
    if (modulePath === undefined) throw new KmsError('CloudHsmClusterNotFoundException', `The token "${token.label}" is not the vault's own token: give its module-path in the URI.`);
    return loggedIn(own.module, undefined, selector, pin);
  }
  let module: LoadedModule;
  try {
    module = loadModule(modulePath);
  } catch (error) {
    throw new KmsError('CloudHsmClusterInvalidConfigurationException', `The PKCS#11 module of this store cannot be used: ${(error as Error).message}`);
  }
  try {
    return loggedIn(module, module, selector, pin);
  } catch (error) {
    module.release();
    throw error;
  }
}

/** A session with the token `selector` names in `module`, logged in with `pin`; `loaded` is the module this connection loaded (released with it). */
function loggedIn(module: LoadedModule, loaded: LoadedModule | undefined, selector: TokenSelector, pin: () => string | undefined): FoundToken {
  const given = pin();
  if (given === undefined) throw new KmsError('ValidationException', 'KeyStorePassword (the token\'s user PIN) is required for a token other than the vault\'s own.');
  const session = notFoundAs(() => TokenSession.open(module, selector));
  const release = (): void => {
    session.close();
    loaded?.release();
  };
  try {
    if (session.isLoggedIn()) {
      throw new KmsError('CloudHsmClusterInUseException', `The token "${session.token.label}" is already in use by a connected custom key store.`);
    }
    session.login(given);
  } catch (error) {
    session.close();
    throw error;
  }
  return found({ session, release }, false, module.path, session.token.serial, session.token.label);
}

function found(connection: Connection, own: boolean, modulePath: string, serial: string, label: string): FoundToken {
  return { connection, own, uri: formatPkcs11Uri({ token: label, serial, modulePath }), clusterId: clusterIdOf(modulePath, serial) };
}

/** Closes the session {@link openToken} opened for a check (the vault's own stays open). */
export function closeFound(found: FoundToken): void {
  found.connection.release?.();
}

function notFoundAs<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof KmsError && error.type === 'TokenNotFoundException') throw new KmsError('CloudHsmClusterNotFoundException', error.message);
    throw error;
  }
}

/** The ConnectionErrorCode for a failure to connect. */
function errorCodeOf(error: unknown): ErrorCode {
  if (!(error instanceof KmsError)) return 'INTERNAL_ERROR';
  if (error.type === 'IncorrectPinException') return 'INVALID_CREDENTIALS';
  if (error.type === 'PinLockedException') return 'USER_LOCKED_OUT';
  if (error.type === 'CloudHsmClusterNotFoundException' || error.type === 'TokenRemovedException') return 'CLUSTER_NOT_FOUND';
  return 'INTERNAL_ERROR';
}

/** The store's token PIN, unwrapped with the root key; undefined for the vault's own token. */
function pinOf(unlocked: Unlocked, row: CustomKeyStoreRow): string | undefined {
  if (row.wrappedPin === null) return undefined;
  const pin = unwrapStorePin(unlocked.rootKey.value, row.id, row.wrappedPin);
  if (pin === undefined) throw new KmsError('KMSInternalException', `The PIN of custom key store ${row.id} does not unwrap under this vault's root key.`);
  try {
    return pin.toString('utf8');
  } finally {
    pin.fill(0);
  }
}

/**
 * Connects a store (if it is not already): opens its token and keeps the
 * session while the vault stays unlocked. A failure is remembered as the
 * store's ConnectionErrorCode (ConnectionState FAILED) and thrown.
 */
export function connectStore(vault: Vault, unlocked: Unlocked, row: CustomKeyStoreRow): TokenSession {
  const connections = connectionsOf(vault);
  const open = connections.open.get(row.id);
  if (open?.session.isAlive() === true) return open.session;
  close(connections, row.id);
  try {
    const { connection } = openToken(unlocked, row.tokenUri, () => pinOf(unlocked, row));
    connections.open.set(row.id, connection);
    connections.failed.delete(row.id);
    return connection.session;
  } catch (error) {
    connections.failed.set(row.id, errorCodeOf(error));
    throw error;
  }
}

/** Closes a store's session, if it has one. */
export function disconnectStore(vault: Vault, id: string): void {
  const connections = connectionsOf(vault);
  close(connections, id);
  connections.failed.delete(id);
}

/** The session of a store that should be connected (`row`), connecting it again if needed; `refuse` makes the error when it is disconnected or cannot be reached. */
function openConnected(vault: Vault, unlocked: Unlocked, row: CustomKeyStoreRow | undefined, refuse: (why: string) => KmsError): TokenSession {
  if (row?.connected !== 1) throw refuse('is disconnected: ConnectCustomKeyStore first.');
  try {
    return connectStore(vault, unlocked, row);
  } catch (error) {
    throw refuse(`cannot be reached: ${(error as Error).message}`);
  }
}

/**
 * The session of a connected store (ConnectCustomKeyStore), opening it again
 * if needed: CustomKeyStoreInvalidStateException when the store is
 * disconnected or its token cannot be reached.
 */
export function connectedSession(vault: Vault, unlocked: Unlocked, id: string): TokenSession {
  return openConnected(vault, unlocked, storeById(vault, id), (why) => new KmsError('CustomKeyStoreInvalidStateException', `Custom key store ${id} ${why}`));
}

/**
 * The session of the store a key lives in, connecting it again after an
 * unlock when it should be connected; KMSInvalidStateException when the
 * store is disconnected or cannot be reached (as AWS answers for a key whose
 * store is not connected).
 */
export function storeSession(vault: Vault, unlocked: Unlocked, storeId: string, keyArn: string): TokenSession {
  return openConnected(vault, unlocked, vault.store.customKeyStores.get(storeId), (why) => new KmsError('KMSInvalidStateException', `${keyArn} is in custom key store ${storeId}, which ${why}`));
}

/** A store as DescribeCustomKeyStores lists it, in AWS's CloudHSM shape (TrustAnchorCertificate holds the token's PKCS#11 URI). */
export function storeEntry(vault: Vault, row: CustomKeyStoreRow): Entry {
  const connections = connectionsOf(vault);
  const failed = connections.failed.get(row.id);
  const state = row.connected === 0 ? 'DISCONNECTED' : failed !== undefined ? 'FAILED' : 'CONNECTED';
  return {
    CustomKeyStoreId: row.id,
    CustomKeyStoreName: row.name,
    CloudHsmClusterId: row.clusterId,
    TrustAnchorCertificate: row.tokenUri,
    ConnectionState: state,
    ...(state === 'FAILED' && failed !== undefined ? { ConnectionErrorCode: failed } : {}),
    CreationDate: row.createdAt / 1000,
    CustomKeyStoreType: 'AWS_CLOUDHSM',
  };
}

/** The store named `id`; CustomKeyStoreNotFoundException otherwise. */
export function storeById(vault: Vault, id: string): CustomKeyStoreRow {
  const row = vault.store.customKeyStores.get(id);
  if (row === undefined) throw new KmsError('CustomKeyStoreNotFoundException', `There is no custom key store ${id} in this vault.`);
  return row;
}
