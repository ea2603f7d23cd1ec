import { KmsError } from '../../../src-shared/errors';
import type { TokenSession } from '../token';

/** True when the token offers `mechanism` with every one of `flags` (C_GetMechanismInfo; never assumed). */
export function hasMechanism(session: TokenSession, mechanism: number, flags: number): boolean {
  try {
    const info = session.module.lib.C_GetMechanismInfo(session.slot, mechanism);
    return (info.flags & flags) === flags;
  } catch {
    return false;
  }
}

/** The largest key size the token reports for `mechanism`, or undefined. */
export function maxKeySize(session: TokenSession, mechanism: number): number | undefined {
  try {
    return session.module.lib.C_GetMechanismInfo(session.slot, mechanism).maxKeySize;
  } catch {
    return undefined;
  }
}

/** Throws MechanismNotSupportedException unless the token offers `mechanism` with `flags`. */
export function requireMechanism(session: TokenSession, mechanism: number, flags: number, what: string, hint: string): void {
  if (!hasMechanism(session, mechanism, flags)) {
    throw new KmsError('MechanismNotSupportedException', `The token "${session.token.label}" does not offer ${what}. ${hint}`);
  }
}
