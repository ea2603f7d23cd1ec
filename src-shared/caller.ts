/**
 * Who is acting. The account root is whoever unlocked the vault with the
 * token PIN; a User is any other principal a door may name (an access key's
 * owner, later), allowed what the key policies, its identity policies and
 * the keys' grants allow.
 */
export interface Principal {
  readonly type: 'Root' | 'User';
  readonly accountId: string;
  readonly arn: string;
}

/** How a call reached the core: the desktop app's window, the browser host, or the command line. */
export type Door = 'app' | 'host' | 'cli';

/**
 * The caller of one operation: an argument of every call, never a property
 * of the open vault. Audit records carry it as CloudTrail's `userIdentity`,
 * `sourceIPAddress` and `userAgent`.
 */
export interface Caller {
  readonly principal: Principal;
  readonly door: Door;
  /** The address a network door saw the call come from; a local door has none. */
  readonly sourceIp?: string;
  /** The client's own name for itself, when a door was told one. */
  readonly userAgent?: string;
}

/** The account root of account `accountId`: whoever unlocked the vault. */
export function rootPrincipal(accountId: string): Principal {
  return { type: 'Root', accountId, arn: `arn:aws:iam::${accountId}:root` };
}

/** The account root of `accountId` calling through `door`. */
export function rootCaller(accountId: string, door: Door): Caller {
  return { principal: rootPrincipal(accountId), door };
}
