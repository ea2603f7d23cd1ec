import { KmsError } from '../../../src-shared/errors';
import type { KeyRow, StoredKeyState } from '../../vault/keysRepo';

/** What an operation needs of the key's state, following AWS's key-state table. */
export type StateRule =
  /** Cryptographic operations: Enabled only; Disabled gives DisabledException. */
  | 'crypto'
  /** Management that works on Enabled, Disabled and PendingImport keys, not PendingDeletion. */
  | 'manage'
  /** Enabling and disabling: Enabled or Disabled keys only. */
  | 'toggle'
  /** Cancelling a deletion: PendingDeletion keys only. */
  | 'pendingDeletion'
  /** Works in every state. */
  | 'any';

const ALLOWED: Record<StateRule, readonly StoredKeyState[]> = {
  crypto: ['Enabled'],
  manage: ['Enabled', 'Disabled', 'PendingImport'],
  toggle: ['Enabled', 'Disabled'],
  pendingDeletion: ['PendingDeletion'],
  any: ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport'],
};

/** Throws the exception AWS KMS gives when `key` is in a state the operation cannot use. */
export function requireState(key: KeyRow, rule: StateRule, arn: string): void {
  if (ALLOWED[rule].includes(key.keyState)) return;
  if (rule === 'crypto' && key.keyState === 'Disabled') throw new KmsError('DisabledException', `${arn} is disabled.`);
  if (rule === 'pendingDeletion') throw new KmsError('KMSInvalidStateException', `${arn} is ${key.keyState}, not PendingDeletion: there is no deletion to cancel.`);
  throw new KmsError('KMSInvalidStateException', `${arn} is ${key.keyState}; this operation cannot use it in that state.`);
}
