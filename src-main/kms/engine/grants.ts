import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../../src-shared/caller';
import { KmsError } from '../../../src-shared/errors';
import { grantOperationsFor } from '../../../src-shared/kms/grantOperations';
import type { GrantConstraints, GrantListEntry } from '../../../src-shared/kms/shapes.generated';
import type { GrantRow } from '../../vault/grantsRepo';
import type { KeyRow } from '../../vault/keysRepo';
import type { KeyStore } from './keyStore';

/** AWS's quota of grants on one key. */
export const MAX_GRANTS_PER_KEY = 50_000;

const TOKEN_FORMAT = 0x01;
const TOKEN_BYTES = 1 + 32 + 16 + 32;

const PRINCIPAL = /^arn:aws:iam::\d{12}:(root|(user|role)\/[\w+=,.@/-]+)$/;

/** What CreateGrant checks of its request against the key: principals as IAM ARNs, operations the key has, and constraints only on a symmetric encryption key (ValidationException). */
export function checkGrant(key: KeyRow, request: { readonly GranteePrincipal: string; readonly RetiringPrincipal?: string | undefined; readonly Operations: readonly string[]; readonly Constraints?: GrantConstraints | undefined }): void {
  for (const [member, value] of [['GranteePrincipal', request.GranteePrincipal], ['RetiringPrincipal', request.RetiringPrincipal]] as const) {
    if (value !== undefined && !PRINCIPAL.test(value)) throw new KmsError('ValidationException', `${member} must be the ARN of an account root, user or role (arn:aws:iam::<account>:user/<name>), not "${value}".`);
  }
  const offered: readonly string[] = grantOperationsFor(key.keyUsage, key.keySpec);
  const wrong = request.Operations.filter((operation) => !offered.includes(operation));
  if (wrong.length > 0) throw new KmsError('ValidationException', `A grant on a ${key.keySpec} key for ${key.keyUsage} allows ${offered.join(', ')}; not ${wrong.join(', ')}.`);
  const constrained = request.Constraints?.EncryptionContextEquals !== undefined || request.Constraints?.EncryptionContextSubset !== undefined;
  if (constrained && key.keySpec !== 'SYMMETRIC_DEFAULT') throw new KmsError('ValidationException', 'Encryption context constraints are for grants on symmetric encryption keys only.');
}

/** The stored form of a grant's constraints (sorted keys, so that equal constraints compare equal); null for none. */
export function constraintsText(constraints: GrantConstraints | undefined): string | null {
  const sorted = (pairs: Record<string, string> | undefined) => (pairs === undefined ? undefined : Object.fromEntries(Object.entries(pairs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  const equals = sorted(constraints?.EncryptionContextEquals);
  const subset = sorted(constraints?.EncryptionContextSubset);
  if (equals === undefined && subset === undefined) return null;
  return JSON.stringify({ ...(equals === undefined ? {} : { EncryptionContextEquals: equals }), ...(subset === undefined ? {} : { EncryptionContextSubset: subset }) });
}

/** A fresh grant id: 64 hex digits, as AWS's. */
export function newGrantId(): string {
  return randomBytes(32).toString('hex');
}

/** The grant token of a grant: its id and key, sealed with the vault's state seal, so that only this vault's grants have tokens it takes. */
export function grantToken(store: KeyStore, row: Pick<GrantRow, 'grantId' | 'keyId'>): string {
  const body = Buffer.concat([Uint8Array.of(TOKEN_FORMAT), Buffer.from(row.grantId, 'hex'), Buffer.from(row.keyId.replaceAll('-', ''), 'hex')]);
  return Buffer.concat([body, store.seal.required().mac('grant_token', [body])]).toString('base64');
}

/** The grant a grant token names; InvalidGrantTokenException for a token this vault did not give, or whose grant is retired or revoked. */
export function grantOfToken(store: KeyStore, token: string): GrantRow {
  const bytes = Buffer.from(token, 'base64');
  const body = bytes.subarray(0, TOKEN_BYTES - 32);
  const sealed = bytes.length === TOKEN_BYTES && bytes[0] === TOKEN_FORMAT && timingSafeEqual(bytes.subarray(TOKEN_BYTES - 32), store.seal.required().mac('grant_token', [body]));
  const row = sealed ? store.grants.get(body.subarray(1, 33).toString('hex')) : undefined;
  if (row === undefined) throw new KmsError('InvalidGrantTokenException', 'The grant token is not one this vault gave, or its grant has been retired or revoked.');
  return row;
}

/** Checks every grant token a request gives (InvalidGrantTokenException for the first that names no live grant); a grant acts at once here, so a valid token adds nothing. */
export function checkGrantTokens(store: KeyStore, tokens: readonly string[] | undefined): void {
  for (const token of tokens ?? []) grantOfToken(store, token);
}

/** A grant as ListGrants and ListRetirableGrants give it. */
export function grantEntry(store: KeyStore, row: GrantRow): GrantListEntry {
  const constraints = row.constraints === null ? undefined : (JSON.parse(row.constraints) as GrantConstraints);
  return {
    KeyId: store.keyArn(row.keyId),
    GrantId: row.grantId,
    ...(row.name === null ? {} : { Name: row.name }),
    CreationDate: row.createdAt / 1000,
    GranteePrincipal: row.grantee,
    ...(row.retiring === null ? {} : { RetiringPrincipal: row.retiring }),
    IssuingAccount: `arn:aws:iam::${row.issuingAccount}:root`,
    Operations: JSON.parse(row.operations) as GrantListEntry['Operations'],
    ...(constraints === undefined ? {} : { Constraints: constraints }),
  };
}

/** Whether `principal` may retire `row`: the account that made it, its retiring principal, or its grantee when it allows RetireGrant. */
export function mayRetire(principal: Principal, row: GrantRow): boolean {
  if (principal.type === 'Root' && principal.accountId === row.issuingAccount) return true;
  if (row.retiring === principal.arn) return true;
  return row.grantee === principal.arn && (JSON.parse(row.operations) as string[]).includes('RetireGrant');
}
