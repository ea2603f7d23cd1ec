import { KmsError } from '../../../src-shared/errors';
import type { AccessKeyRow, UserRow } from '../../vault/iamRepo';
import type { KmsContext } from '../pipeline/declaration';

/** A user in IAM's User shape. */
export function userShape(ctx: KmsContext, user: UserRow): { Path: string; UserName: string; UserId: string; Arn: string; CreateDate: number } {
  return { Path: user.path, UserName: user.userName, UserId: user.userId, Arn: ctx.vault.users.arnOf(user), CreateDate: user.createdAt / 1000 };
}

/** An access key in IAM's AccessKeyMetadata shape (without its secret). */
export function accessKeyShape(row: AccessKeyRow): { UserName: string; AccessKeyId: string; Status: 'Active' | 'Inactive'; CreateDate: number } {
  return { UserName: row.userName, AccessKeyId: row.accessKeyId, Status: row.status, CreateDate: row.createdAt / 1000 };
}

/**
 * The name of the user an operation acts on: the one it names, or, as IAM
 * does when none is named, the user whose access key signed the call. The
 * account root has no access keys here: it must name a user.
 */
export function targetUserName(ctx: KmsContext, userName: string | undefined): string {
  if (userName !== undefined) return userName;
  const { principal } = ctx.caller;
  if (principal.type === 'User') return principal.arn.slice(principal.arn.lastIndexOf('/') + 1);
  throw new KmsError('ValidationException', 'The account root has no access keys in Strongroom: name the user (UserName).');
}

/** The ARN of the user an operation acts on, which it is authorized on: with its path when it exists, with "/" for one it creates or that does not exist. */
export function userResource(ctx: KmsContext, userName: string | undefined, path = '/'): string {
  const name = targetUserName(ctx, userName);
  const user = ctx.vault.users.repo.user(name);
  return ctx.vault.users.arnOf(user ?? { path, userName: name });
}

/**
 * One page of `items` (already in order) after the item whose key is
 * `marker`, at most `maxItems` (100 by default, as IAM's), with IAM's
 * IsTruncated and Marker.
 */
export function pageOf<T>(items: readonly T[], keyOf: (item: T) => string, marker: string | undefined, maxItems: number | undefined): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const after = marker === undefined ? undefined : Buffer.from(marker, 'base64url').toString('utf8');
  const start = after === undefined ? 0 : items.findIndex((item) => keyOf(item) > after);
  const from = start === -1 ? items.length : start;
  const limit = maxItems ?? 100;
  const page = items.slice(from, from + limit);
  const last = page.at(-1);
  const truncated = from + limit < items.length && last !== undefined;
  return { items: page, IsTruncated: truncated, ...(truncated ? { Marker: Buffer.from(keyOf(last), 'utf8').toString('base64url') } : {}) };
}
