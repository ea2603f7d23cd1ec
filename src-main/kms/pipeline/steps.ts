import { KmsError } from '../../../src-shared/errors';
import { authorize } from '../../policy/authorize';
import type { RequestFacts } from '../../policy/requestContext';
import { checkGrantTokens } from '../engine/grants';
import type { KeyRow } from '../../vault/keysRepo';
import { requireState } from '../engine/keyStates';
import type { KeyStore } from '../engine/keyStore';
import { algorithmsFor, keySpecRow, specOf } from '../keySpecs';
import type { AnyDeclaration, AuthorizedKey, KeyDeclaration, KmsContext } from './declaration';

type Request = Record<string, unknown>;

/** The keys a request names, resolved, in the order of the declaration's key list (undefined for an optional key left out). */
export type ResolvedKeys = (KeyRow | undefined)[];

/**
 * Checks of a validated request that hold for every operation, then the
 * operation's own: no Nitro enclave Recipient.
 */
export function checkRequest(declaration: AnyDeclaration, request: Request): void {
  if (request.Recipient !== undefined) throw new KmsError('UnsupportedOperationException', 'Recipient (a Nitro enclave attestation) is not supported on this desktop.');
  declaration.check?.(request as never);
}

/** Adds `arn` to the call's resources, once. */
export function noteResource(ctx: KmsContext, arn: string): void {
  if (!ctx.resources.includes(arn)) ctx.resources.push(arn);
}

/** What the request gives to name a key (a member, or what the key's locator finds). */
function keyInput(key: KeyDeclaration<never>, request: Request, store: KeyStore): string | undefined {
  const { from } = key;
  if (typeof from === 'function') return (from as (request: Request, store: KeyStore) => string | undefined)(request, store);
  const value = request[from];
  return typeof value === 'string' ? value : undefined;
}

/** The keys the request names, resolved in declaration order and noted as resources (after the alias it names); NotFoundException for a key the vault does not have. */
export function resolveKeys(ctx: KmsContext, declaration: AnyDeclaration, request: Request): ResolvedKeys {
  const store = ctx.vault.store;
  if (declaration.alias !== undefined) noteResource(ctx, store.aliasArn(request[declaration.alias] as string));
  return declaration.keyList.map(({ name, key, optional }) => {
    const input = keyInput(key, request, store);
    if (input === undefined) {
      if (optional) return undefined;
      throw new KmsError('ValidationException', `The request does not name the key (${name}) this operation needs.`);
    }
    const row = store.resolve(input, key.naming === 'id-or-alias');
    noteResource(ctx, store.keyArn(row.keyId));
    return row;
  });
}

/** The alias a request named its key by (kms:RequestAlias), from an alias name or alias ARN. */
export function aliasNamed(input: string | undefined): string | undefined {
  if (input === undefined) return undefined;
  const at = input.indexOf('alias/');
  return at === 0 || (at > 0 && input.startsWith('arn:')) ? input.slice(at) : undefined;
}

/** What a call says about itself and the key it uses, for conditions; the key's aliases and tags are read only if a condition asks for them. */
export function factsOf(store: KeyStore, row: KeyRow, context: Readonly<Record<string, string>> | undefined, requestAlias: string | undefined, now: Date, more: Partial<RequestFacts> | undefined): RequestFacts {
  return {
    ...more,
    now,
    keySpec: row.keySpec,
    keyUsage: row.keyUsage,
    keyOrigin: row.origin,
    ...(context === undefined ? {} : { encryptionContext: context }),
    ...(requestAlias === undefined ? {} : { requestAlias }),
    get resourceAliases() {
      return store.aliases.ofKey(row.keyId).map((alias) => alias.aliasName);
    },
    get resourceTags() {
      return Object.fromEntries(store.tags.ofKey(row.keyId).map((tag) => [tag.TagKey, tag.TagValue]));
    },
  };
}

/**
 * Allows or refuses the caller the operation's action on each key it names
 * (by the key's policy, the caller's identity policies and the key's
 * grants), or on the account (or the IAM user it acts on) when it names
 * none, after checking that a user's access key is still Active and the
 * grant tokens it gives (InvalidGrantTokenException for
 * one that names no live grant). Runs before any check of the keys' states,
 * as AWS does.
 */
export function authorizeCall(ctx: KmsContext, declaration: AnyDeclaration, request: Request, rows: ResolvedKeys): void {
  const { principal, accessKeyId } = ctx.caller;
  const { store, users } = ctx.vault;
  const { keyList } = declaration;
  if (accessKeyId !== undefined) users.requireActive(principal, accessKeyId);
  if (declaration.ignoresGrantTokens !== true) checkGrantTokens(store, request.GrantTokens as readonly string[] | undefined);
  if (declaration.authorizedByGrant === true) return;
  const identityPolicies = users.identityPolicies(principal);
  const now = new Date();
  let named = 0;
  for (let i = 0; i < keyList.length; i += 1) {
    const row = rows[i];
    const key = keyList[i]?.key;
    if (row === undefined || key === undefined) continue;
    named += 1;
    const facts = factsOf(store, row, key.context?.(request as never), aliasNamed(keyInput(key, request, store)), now, key.facts?.(request as never));
    const resource = store.keyArn(row.keyId);
    authorize({ principal, action: key.action ?? declaration.action, resource, keyManager: row.keyManager, keyPolicy: store.keyPolicy(row.keyId).document, identityPolicies, grants: store.grantsOf(row.keyId), facts });
  }
  if (named === 0) authorize({ principal, action: declaration.action, resource: declaration.resource?.(ctx, request as never) ?? '*', identityPolicies, facts: { now } });
}

/** Throws InvalidKeyUsageException unless `row` has the usage the operation needs and its spec offers the algorithm the request asks for, for that usage. */
function requireUsage(row: KeyRow, usage: NonNullable<KeyDeclaration<never>['usage']>, request: Request, arn: string): void {
  if (row.keyUsage !== usage.usage) {
    throw new KmsError('InvalidKeyUsageException', `${arn} is a ${row.keySpec} key for ${row.keyUsage}; this operation needs a key for ${usage.usage}.`);
  }
  const offered = algorithmsFor(specOf(row), row.keyUsage);
  const algorithm = usage.algorithm(request as never);
  if (!offered.includes(algorithm)) {
    throw new KmsError('InvalidKeyUsageException', `${arn} is a ${row.keySpec} key for ${row.keyUsage}: its algorithms are ${offered.join(', ')}, not ${algorithm}.`);
  }
}

/** Checks each authorized key's state, usage and material against what the operation needs, and hands them over as authorized keys, by name. */
export function checkKeys(ctx: KmsContext, declaration: AnyDeclaration, request: Request, rows: ResolvedKeys): Record<string, AuthorizedKey | undefined> {
  const keys: Record<string, AuthorizedKey | undefined> = {};
  declaration.keyList.forEach(({ name, key }, i) => {
    const row = rows[i];
    keys[name] = row as AuthorizedKey | undefined;
    if (row === undefined) return;
    const arn = ctx.vault.store.keyArn(row.keyId);
    requireState(row, key.states, arn);
    if (key.usage !== undefined) requireUsage(row, key.usage, request, arn);
    if (key.rotates === true && !(keySpecRow(row.keySpec)?.rotates === true && row.origin === 'AWS_KMS')) {
      throw new KmsError('UnsupportedOperationException', `${arn} is a ${row.keySpec} key with ${row.origin} material, which does not rotate: only keys whose spec rotates and whose material AWS_KMS made do.`);
    }
  });
  return keys;
}
