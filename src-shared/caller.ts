/**
 * Who is acting. The account root is whoever unlocked the vault with the
 * token PIN; a User is an IAM user of the vault's account, named by the
 * access key a door was given, allowed what the key policies, its identity policies and
 * the keys' grants allow.
 */
export interface Principal {
  readonly type: 'Root' | 'User';
  readonly accountId: string;
  readonly arn: string;
  /** A user's unique id (AIDA…), CloudTrail's principalId. */
  readonly id?: string;
}

/** An IAM access key as a door is given it (as the AWS CLI reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). */
export interface AccessKeyCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
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
  /** The access key a user authenticated with; checked again on every call. */
  readonly accessKeyId?: string;
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
