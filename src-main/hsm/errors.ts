import * as pkcs11js from 'pkcs11js';
import { KmsError } from '../../src-shared/errors';

/** Return values that mean the token (or our session with it) is gone. */
const GONE: ReadonlySet<number> = new Set([
  pkcs11js.CKR_DEVICE_REMOVED,
  pkcs11js.CKR_TOKEN_NOT_PRESENT,
  pkcs11js.CKR_TOKEN_NOT_RECOGNIZED,
  pkcs11js.CKR_SESSION_HANDLE_INVALID,
  pkcs11js.CKR_SESSION_CLOSED,
  pkcs11js.CKR_DEVICE_ERROR,
  pkcs11js.CKR_SLOT_ID_INVALID,
]);

const UNSUPPORTED: ReadonlySet<number> = new Set([
  pkcs11js.CKR_MECHANISM_INVALID,
  pkcs11js.CKR_MECHANISM_PARAM_INVALID,
]);

/** The PKCS#11 return value carried by an error from pkcs11js, if any. */
export function tokenErrorCode(error: unknown): number | undefined {
  if (error instanceof pkcs11js.NativeError && typeof (error as { code?: unknown }).code === 'number') {
    return (error as unknown as { code: number }).code;
  }
  return undefined;
}

/** True when the error says the token was removed or our session with it is gone. */
export function isTokenGone(error: unknown): boolean {
  if (error instanceof KmsError) return error.type === 'TokenRemovedException';
  const code = tokenErrorCode(error);
  return code !== undefined && GONE.has(code);
}

/** The error for a token that has locked its user PIN. */
export function pinLocked(): KmsError {
  return new KmsError(
    'PinLockedException',
    'The token has locked its user PIN after too many wrong attempts. Unblock it with the security-officer PIN: "strongroom reset-pin" sets a new PIN, then unlock again.',
  );
}

/**
 * Turns an error from a PKCS#11 call into a {@link KmsError} a person can act
 * on. `action` says what was being done ("logging in", "decrypting the vault
 * root key"). PINs and key bytes are never part of the message.
 */
export function tokenFailure(error: unknown, action: string): KmsError {
  if (error instanceof KmsError) return error;
  const code = tokenErrorCode(error);
  if (code === undefined) {
    return new KmsError('KMSInternalException', `The PKCS#11 module failed while ${action}.`);
  }
  if (code === pkcs11js.CKR_PIN_INCORRECT) {
    return new KmsError('IncorrectPinException', 'The PIN is incorrect.');
  }
  if (code === pkcs11js.CKR_PIN_LOCKED) return pinLocked();
  if (code === pkcs11js.CKR_PIN_LEN_RANGE || code === pkcs11js.CKR_PIN_INVALID) {
    return new KmsError('ValidationException', 'The token does not accept a PIN of that length or with those characters.');
  }
  if (GONE.has(code)) {
    return new KmsError(
      'TokenRemovedException',
      `The token was removed, or its session closed, while ${action}. The vault is locked: reconnect the token and unlock again.`,
    );
  }
  if (UNSUPPORTED.has(code)) {
    return new KmsError('MechanismNotSupportedException', `This token does not support the mechanism needed for ${action}.`);
  }
  const name = error instanceof Error ? error.message : String(code);
  return new KmsError('KMSInternalException', `The token refused ${action} (${name}).`);
}
