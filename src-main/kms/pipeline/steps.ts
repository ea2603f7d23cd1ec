import { KmsError } from '../../../src-shared/errors';
import { authorize } from '../../policy/authorize';
import type { KeyRow } from '../../vault/keysRepo';
import { requireState } from '../engine/keyStates';
import type { KeyStore } from '../engine/keyStore';
import { keySpecRow, specOf } from '../keySpecs';
import type { AnyDeclaration, AuthorizedKey, KeyDeclaration, KmsContext } from './declaration';

type Request = Record<string, unknown>;
type Keys = Record<string, AuthorizedKey | undefined>;

/** Refuses `__proto__` keys anywhere in a request, without recursion: a schema would drop them silently (from an encryption context, say). */
export function refuseProtoKeys(input: unknown): void {
  const pending: unknown[] = [input];
  for (let value = pending.pop(); value !== undefined || pending.length > 0; value = pending.pop()) {
    if (value === null || typeof value !== 'object') continue;
    if (Object.hasOwn(value, '__proto__')) throw new KmsError('ValidationException', 'Keys named __proto__ are not accepted anywhere in a request.');
    for (const inner of Object.values(value)) pending.push(inner);
  }
}

/** Checks of a validated request that hold for every operation, then the operation's own. */
export function checkRequest(declaration: AnyDeclaration, request: Request): void {
  if (request.Recipient !== undefined) throw new KmsError('UnsupportedOperationException', 'Recipient (a Nitro enclave attestation) is not supported on this desktop.');
  declaration.check?.(request as never);
}

/** Adds `arn` to the call's resources, once. */
export function noteResource(ctx: KmsContext, arn: string): void {
  if (!ctx.resources.includes(arn)) ctx.resources.push(arn);
}

/** What the request gives to name the key of `declaration` (a member, or what its locator finds). */
function keyInput(declaration: KeyDeclaration<never>, request: Request, store: KeyStore): string | undefined {
  const { from } = declaration;
  if (typeof from === 'function') return (from as (request: Request, store: KeyStore) => string | undefined)(request, store);
  const value = request[from];
  return typeof value === 'string' ? value : undefined;
}

/** The keys the request names, resolved in declaration order and noted as resources; NotFoundException for a key the vault does not have. */
export function resolveKeys(ctx: KmsContext, declaration: AnyDeclaration, request: Request): Map<string, KeyRow | undefined> {
  const store = ctx.vault.store;
  if (declaration.alias !== undefined) noteResource(ctx, store.aliasArn(request[declaration.alias] as string));
  const rows = new Map<string, KeyRow | undefined>();
  const resolve = (name: string, key: KeyDeclaration<never>, optional: boolean): void => {
    const input = keyInput(key, request, store);
    if (input === undefined && !optional) throw new KmsError('ValidationException', `The request does not name the key (${name}) this operation needs.`);
    const row = input === undefined ? undefined : store.resolve(input, key.naming === 'id-or-alias');
    if (row !== undefined) noteResource(ctx, store.keyArn(row.keyId));
    rows.set(name, row);
  };
  for (const [name, key] of Object.entries(declaration.keys ?? {})) resolve(name, key, false);
  for (const [name, key] of Object.entries(declaration.optionalKeys ?? {})) resolve(name, key, true);
  return rows;
}

/** The declaration of key `name` of an operation. */
function keyDeclaration(declaration: AnyDeclaration, name: string): KeyDeclaration<never> {
  const key = declaration.keys?.[name] ?? declaration.optionalKeys?.[name];
  if (key === undefined) throw new Error(`${declaration.name} declares no key ${name}.`);
  return key;
}

/**
 * Allows or refuses the caller the operation's action on each key it names,
 * or on the account when it names none; grant tokens are weighed here too.
 * Runs before any check of the keys' states, as AWS does.
 */
export function authorizeCall(ctx: KmsContext, declaration: AnyDeclaration, request: Request, rows: Map<string, KeyRow | undefined>): void {
  const grantTokens = request.GrantTokens as readonly string[] | undefined;
  const principal = ctx.caller.principal;
  let named = false;
  for (const [name, row] of rows) {
    if (row === undefined) continue;
    named = true;
    const key = keyDeclaration(declaration, name);
    const context = key.context?.(request as never);
    authorize({
      principal,
      action: key.action ?? declaration.action,
      resource: ctx.vault.store.keyArn(row.keyId),
      keyManager: row.keyManager,
      ...(context === undefined ? {} : { context }),
      ...(grantTokens === undefined ? {} : { grantTokens }),
    });
  }
  if (!named) authorize({ principal, action: declaration.action, resource: '*' });
}

/** Throws InvalidKeyUsageException unless `row` has the usage the operation needs and its spec offers the algorithm the request asks for. */
function requireUsage(row: KeyRow, usage: NonNullable<KeyDeclaration<never>['usage']>, request: Request, arn: string): void {
  if (row.keyUsage !== usage.usage) {
    throw new KmsError('InvalidKeyUsageException', `${arn} is a ${row.keySpec} key for ${row.keyUsage}; this operation needs a key for ${usage.usage}.`);
  }
  const spec = specOf(row);
  const algorithm = usage.algorithm(request as never);
  if (!(spec.encryptionAlgorithms as readonly string[]).includes(algorithm)) {
    throw new KmsError('InvalidKeyUsageException', `${arn} is a ${row.keySpec} key: its encryption algorithms are ${spec.encryptionAlgorithms.join(', ')}, not ${algorithm}.`);
  }
}

/** Checks each authorized key's state, usage and material against what the operation needs, and hands them over as authorized keys. */
export function checkKeys(ctx: KmsContext, declaration: AnyDeclaration, request: Request, rows: Map<string, KeyRow | undefined>): Keys {
  const keys: Keys = {};
  for (const [name, row] of rows) {
    if (row === undefined) {
      keys[name] = undefined;
      continue;
    }
    const key = keyDeclaration(declaration, name);
    const arn = ctx.vault.store.keyArn(row.keyId);
    requireState(row, key.states, arn);
    if (key.usage !== undefined) requireUsage(row, key.usage, request, arn);
    if (key.rotates === true && !(keySpecRow(row.keySpec)?.rotates === true && row.origin === 'AWS_KMS')) {
      throw new KmsError('UnsupportedOperationException', `${arn} is a ${row.keySpec} key with ${row.origin} material; only symmetric encryption keys with AWS_KMS material rotate.`);
    }
    keys[name] = row as AuthorizedKey;
  }
  return keys;
}

/** True for a DryRun that checks permission only, without a ciphertext (DryRunModifiers IGNORE_CIPHERTEXT, Decrypt and ReEncrypt). */
export function ignoresCiphertext(request: { DryRun?: boolean | undefined; DryRunModifiers?: readonly string[] | undefined }): boolean {
  return request.DryRun === true && request.DryRunModifiers?.includes('IGNORE_CIPHERTEXT') === true;
}

/** The error a DryRun ends with once every check has passed, as AWS answers. */
export function dryRunDone(): KmsError {
  return new KmsError('DryRunOperationException', 'The request would have succeeded, but DryRun was set.');
}
