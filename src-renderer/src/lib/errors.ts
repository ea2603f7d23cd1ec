import { ServiceError } from './api';

/**
 * An error as the interface shows it: what happened in words a person can act
 * on (`text`), and the AWS exception name and message for the detail line.
 */
export interface ShownError {
  type: string;
  message: string;
  text: string;
}

/** What to do about each error the core may answer, where its own message is not enough. */
const ADVICE: Record<string, string> = {
  IncorrectPinException: 'The token refused this PIN. After three wrong tries in a row each try waits longer, and after the last one the vault locks out: check it before trying again.',
  UnlockDelayedException: 'Too many wrong tries: wait until the time shown, then try again.',
  VaultLockedOutException: 'The vault is locked out after too many wrong tries. Only the security-officer PIN lets you in again: run `strongroom reset-pin` to set a new PIN.',
  TokenRemovedException: 'The token was removed. Insert it again, then unlock.',
  VaultLockedException: 'The vault is locked. Unlock it to continue.',
  VaultInUseException: 'Another Strongroom process holds this vault. Close it (or run `strongroom lock`) and try again.',
  IncorrectKeyException: 'The ciphertext was encrypted under another key. Empty the key field to decrypt with whichever key encrypted it.',
  InvalidCiphertextException: 'This ciphertext does not decrypt: it is damaged, or the encryption context differs from the one it was encrypted with.',
  DisabledException: 'The key is disabled. Enable it on its Keys page to use it.',
  KMSInvalidStateException: 'The key is not in a state that allows this (for example, pending deletion).',
  NotFoundException: 'There is no such key or alias in this vault.',
  AlreadyExistsException: 'That name is already taken in this vault.',
  LimitExceededException: 'A limit of the vault is reached.',
  ConnectionLostException: 'Strongroom does not answer. If you started it with "strongroom ui", check that it still runs.',
  SessionEndedException: 'This page has no session with Strongroom. Stop "strongroom ui" (Ctrl+C) and start it again for a new address.',
  AccessDeniedException: 'Strongroom refused this request from this page.',
};

/** The shown form of anything a call threw. */
export function describeError(error: unknown): ShownError {
  const [type, message] = error instanceof ServiceError ? [error.type, error.message] : ['Error', error instanceof Error ? error.message : String(error)];
  return { type, message, text: ADVICE[type] ?? message };
}

/** The detail line under an error's words: its AWS name and message, without the regular expressions a person cannot act on. */
export function detailOf(error: ShownError): string {
  return `${error.type}: ${error.message.replace(/Member must satisfy regular expression pattern: \S+/g, 'the value has characters or a form that is not allowed')}`;
}

/** The request members a ValidationException names (`Value at 'tags.0.tagKey' …` names tagKey), in lower case. */
export function membersNamed(error: ShownError): string[] {
  if (error.type !== 'ValidationException') return [];
  return [...error.message.matchAll(/at '([^']+)'/g)].map((m) => (m[1] ?? '').split('.').filter((part) => !/^\d+$/.test(part)).at(-1)?.toLowerCase() ?? '');
}
