import { KmsError } from '../../../src-shared/errors';
import { passphraseEstimator, weakPassphraseProblem, type PassphraseStrength, type ZxcvbnPackages } from '../../../src-shared/passphrase';
import { checkedPassphraseKdf, derivePin, newPassphraseKdf, type PassphraseKdf } from '../../crypto/passphraseKdf';
import type { TokenSession } from '../../hsm/token';
import type { Db } from '../../vault/db';
import { deleteSetting, readSetting, writeSetting } from '../../vault/vaultRepo';

/**
 * The user's PIN on its way to the token: log in, change, reset. The
 * embedded token's PIN is never the user's passphrase but the passphrase
 * through Argon2id, with parameters stored in the vault, so that a copy of
 * the vault directory costs an attacker one Argon2id run per guess; an
 * external token takes the PIN as given, under its own rules.
 */

const SETTING = 'embedded-pin-kdf';

/** The stored KDF parameters, or undefined for a vault made before them (its token PIN is the passphrase itself). */
export function readPassphraseKdf(db: Db): PassphraseKdf | undefined {
  const text = readSetting(db, SETTING);
  if (text === undefined) return undefined;
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // checked below
  }
  return checkedPassphraseKdf(parsed);
}

let estimate: ((passphrase: string) => PassphraseStrength) | undefined;

/** zxcvbn's estimate; its dictionaries are loaded at the first check, not at every start of the command line. */
function strength(passphrase: string): PassphraseStrength {
  /* eslint-disable @typescript-eslint/no-require-imports -- a require() here is loaded when first called, an import at every start */
  estimate ??= passphraseEstimator({
    core: require('@zxcvbn-ts/core') as ZxcvbnPackages['core'],
    common: require('@zxcvbn-ts/language-common') as ZxcvbnPackages['common'],
    en: require('@zxcvbn-ts/language-en') as ZxcvbnPackages['en'],
  });
  /* eslint-enable @typescript-eslint/no-require-imports */
  return estimate(passphrase);
}

/** Refuses a passphrase that is too easy to guess, saying why and how long it would last. */
export function assertStrongPassphrase(passphrase: string): void {
  const problem = weakPassphraseProblem(strength(passphrase));
  if (problem !== undefined) throw new KmsError('ValidationException', problem);
}

/** New KDF parameters for a new vault, stored, and the token PIN they give for `passphrase`. */
export function newEmbeddedPin(passphrase: string): { kdf: PassphraseKdf; pin: string } {
  const kdf = newPassphraseKdf();
  return { kdf, pin: derivePin(passphrase, kdf) };
}

/** `kdf` without its pending mark. */
function settled(kdf: PassphraseKdf): PassphraseKdf {
  const copy = { ...kdf };
  delete copy.pending;
  return copy;
}

/** Stores the parameters of a new vault's token PIN. */
export function writePassphraseKdf(db: Db, kdf: PassphraseKdf): void {
  writeSetting(db, SETTING, JSON.stringify(kdf));
}

/** Stores how the embedded token's PIN derives from the passphrase, or, for a vault moved to an external token (`undefined`), forgets it. */
export function keepPassphraseKdf(db: Db, kdf: PassphraseKdf | undefined): void {
  if (kdf === undefined) deleteSetting(db, SETTING);
  else writePassphraseKdf(db, kdf);
}

/**
 * Gives the token the PIN derived from `passphrase` by calling `apply` with
 * it, under the stored parameters (new ones for a vault that has none). The
 * parameters are stored as pending first and marked done after: if the
 * process ends in between, the next unlock tries both the derived PIN and
 * the passphrase itself.
 */
function setDerivedPin(db: Db, passphrase: string, apply: (pin: string) => void): void {
  const stored = readPassphraseKdf(db);
  const kdf = settled(stored ?? newPassphraseKdf());
  writePassphraseKdf(db, { ...kdf, pending: true });
  try {
    apply(derivePin(passphrase, kdf));
  } catch (error) {
    if (stored !== undefined) writePassphraseKdf(db, stored); // the token kept its PIN; a vault without parameters stays pending, which tries both
    throw error;
  }
  writePassphraseKdf(db, kdf);
}

/** The derived PINs for a change from `current` to `next` under the stored parameters (the vault is unlocked, so they are not pending). */
function derivedPinChange(db: Db, current: string, next: string): { current: string; next: string } {
  const kdf = readPassphraseKdf(db);
  if (kdf === undefined || kdf.pending) throw new KmsError('KMSInvalidStateException', 'Unlock the vault once before changing its passphrase.');
  return { current: derivePin(current, kdf), next: derivePin(next, kdf) };
}

function isWrongPin(error: unknown): boolean {
  return error instanceof KmsError && error.type === 'IncorrectPinException';
}

/**
 * Logs in to the embedded token with the PIN derived from `passphrase`. A
 * vault made before the KDF (or whose upgrade was interrupted) logs in with
 * the passphrase itself and has its token PIN changed to the derived one;
 * returns true when it did so.
 */
function loginEmbedded(session: TokenSession, db: Db, passphrase: string): boolean {
  const kdf = readPassphraseKdf(db);
  if (kdf !== undefined) {
    try {
      session.login(derivePin(passphrase, kdf));
      if (!kdf.pending) return false;
      writePassphraseKdf(db, settled(kdf));
      return true;
    } catch (error) {
      if (!kdf.pending || !isWrongPin(error)) throw error;
    }
  }
  session.login(passphrase);
  setDerivedPin(db, passphrase, (pin) => {
    session.setPin(passphrase, pin);
  });
  return true;
}

/** Which kind of token a vault's user PIN goes to. */
export type TokenKind = 'embedded' | 'external';

/** Logs in as the user; true when it upgraded an embedded token's PIN to the derived one (see {@link loginEmbedded}). */
export function loginUser(session: TokenSession, db: Db, kind: TokenKind, pin: string): boolean {
  if (kind === 'embedded') return loginEmbedded(session, db, pin);
  session.login(pin);
  return false;
}

/** Changes the user PIN of a logged-in session: a strong passphrase for the embedded token, the token's own length rules otherwise. */
export function changeUserPin(session: TokenSession, db: Db, kind: TokenKind, current: string, next: string): void {
  if (kind === 'embedded') {
    assertStrongPassphrase(next);
    const pins = derivedPinChange(db, current, next);
    session.setPin(pins.current, pins.next);
    return;
  }
  const { minPinLength, maxPinLength } = session.token;
  const length = Buffer.byteLength(next);
  if (length < minPinLength || length > maxPinLength) {
    throw new KmsError('ValidationException', `The new PIN must be ${String(minPinLength)} to ${String(maxPinLength)} bytes long for this token.`);
  }
  session.setPin(current, next);
}

/** Sets a new user PIN with the security-officer PIN (C_InitPIN), which also unblocks a PIN the token locked. */
export function resetUserPin(session: TokenSession, db: Db, kind: TokenKind, soPin: string, next: string): void {
  if (kind === 'embedded') {
    assertStrongPassphrase(next);
    setDerivedPin(db, next, (pin) => {
      session.resetUserPin(soPin, pin);
    });
    return;
  }
  session.resetUserPin(soPin, next);
}
