import type { z } from 'zod';
import type { Caller } from '../../../src-shared/caller';
import type { CORE_OPERATIONS, CoreOperationName } from '../../../src-shared/kms/extensions';
import type { KeyRow } from '../../vault/keysRepo';
import type { RequestFacts } from '../../policy/requestContext';
import type { StateRule } from '../engine/keyStates';
import type { KeyStore } from '../engine/keyStore';
import type { Usage } from '../keySpecs';
import type { Unlocked, Vault } from '../lifecycle/vault';

/** An IAM action: of AWS KMS, of IAM itself, CloudTrail's for reading the audit log, or Strongroom's own (contacts). */
export type Action = `kms:${string}` | `cloudtrail:${string}` | `iam:${string}` | `strongroom:${string}`;

/** The validated request of operation `N`, as the AWS model defines it. */
export type RequestOf<N extends CoreOperationName> = z.output<(typeof CORE_OPERATIONS)[N]['input']>;
/** The response of operation `N`, as the AWS model defines it. */
export type ResponseOf<N extends CoreOperationName> = z.input<(typeof CORE_OPERATIONS)[N]['output']>;

declare const authorized: unique symbol;

/**
 * A key the pipeline has resolved, authorized the caller on, and checked for
 * state and usage. Only the pipeline makes one, so a handler cannot use a
 * key it was not authorized for, or check in another order.
 */
export type AuthorizedKey = KeyRow & { readonly [authorized]: true };

/**
 * One call in flight, as a handler sees it: the open, unlocked vault, the
 * caller, and what its audit record says besides the request: the keys
 * (and alias) the call touched, and CloudTrail's `additionalEventData`.
 */
export interface KmsContext {
  readonly vault: Vault;
  readonly unlocked: Unlocked;
  readonly caller: Caller;
  /** The request is a DryRun: an operation that decrypts stops once its ciphertext has decrypted (see engine/symmetric). */
  readonly dryRun: boolean;
  readonly resources: string[];
  readonly eventData: Record<string, string>;
}

/** The request members that hold a string (or nothing): those that can name a key or alias. */
type StringMember<R> = { [M in keyof R]-?: R[M] extends string | undefined ? M : never }[keyof R] & string;

/** How an operation names one of its keys, and what it needs of it. */
export interface KeyDeclaration<R> {
  /** The request member that names the key, or how to find it (Decrypt reads it from the ciphertext); undefined when the request names none. */
  readonly from: StringMember<R> | ((request: R, store: KeyStore) => string | undefined);
  /** What the member may be, as the AWS model documents it: a key id or ARN, or an alias name or ARN too. */
  readonly naming: 'id' | 'id-or-alias';
  /** The IAM action on this key, when it is not the operation's own (ReEncrypt's ReEncryptFrom and ReEncryptTo). */
  readonly action?: Action;
  /** The key states the operation accepts. */
  readonly states: StateRule;
  /** The key usage the operation needs, and the algorithm the request asks for (which the key's spec must offer). */
  readonly usage?: { readonly usage: Usage; readonly algorithm: (request: R) => string };
  /** The operation needs key material that rotates. */
  readonly rotates?: true;
  /** The encryption context the request gives for this key, for policy conditions. */
  readonly context?: (request: R) => Readonly<Record<string, string>> | undefined;
  /** What else the request says for policy conditions on this key (CreateGrant: the new grant's operations and constraints). */
  readonly facts?: (request: R) => Partial<RequestFacts>;
}

/** The keys a handler receives, authorized: `K` named by the request always, `O` only when it gives them. */
export type KeysOf<K extends string, O extends string> = { readonly [P in K]: AuthorizedKey } & { readonly [P in O]?: AuthorizedKey };

/**
 * An operation, declared once: everything the pipeline (kms/pipeline/invoke)
 * needs to run it, in AWS's terms, and the handler that does its work once
 * every check has passed.
 */
export interface OperationDeclaration<N extends CoreOperationName, K extends string = never, O extends string = never> {
  readonly name: N;
  /** The IAM action the caller must be allowed: on each key, or on the account when the operation names none. */
  readonly action: Action;
  /** `data`: a cryptographic call (changes nothing; records written in batches); `read`: management that changes nothing; `change`: committed with its record. */
  readonly kind: 'data' | 'read' | 'change';
  /** The keys the request names, in the order CloudTrail lists them among the call's resources. */
  readonly keys?: { readonly [P in K]: KeyDeclaration<RequestOf<N>> };
  /** Keys the request may leave out (ListAliases's KeyId); with none named, authorization is on the account. */
  readonly optionalKeys?: { readonly [P in O]: KeyDeclaration<RequestOf<N>> };
  /** The request member that names an alias, listed among the resources before the keys. */
  readonly alias?: StringMember<RequestOf<N>>;
  /** For an operation on something other than a key (an IAM user): its ARN, which the action is authorized on; "*" (the account) otherwise. */
  readonly resource?: (ctx: KmsContext, request: RequestOf<N>) => string;
  /** What the audit log keeps of a successful change's response, when it holds a secret (CreateAccessKey's secret access key). */
  readonly recordedResponse?: (response: ResponseOf<N>) => unknown;
  /** Checks of the request alone, beyond its schema; they run before the vault is asked anything. */
  readonly check?: (request: RequestOf<N>) => void;
  /** GrantTokens are ignored (DescribeKey, for which AWS documents no InvalidGrantTokenException) rather than checked. */
  readonly ignoresGrantTokens?: true;
  /** The handler decides who may call it, from the grant the request names (RetireGrant), rather than the key policy. */
  readonly authorizedByGrant?: true;
  /** A DryRun still decrypts the ciphertext, to check it, before it stops (Decrypt, ReEncrypt); others stop before the handler. */
  readonly dryRunDecrypts?: true;
  /** Request members CloudTrail records with their default when the caller leaves them out. */
  readonly recordedDefaults?: Readonly<Record<string, string>>;
  /** Request members that hold a secret (a token PIN): recorded as CloudTrail records them, HIDDEN_DUE_TO_SECURITY_REASONS. */
  readonly hiddenMembers?: readonly StringMember<RequestOf<N>>[];
  /** The record of a success names the key changed in responseElements.keyId, though the response is empty (CloudTrail does so since December 2022). */
  readonly keyInResponse?: true;
  readonly handler: (ctx: KmsContext, request: RequestOf<N>, keys: KeysOf<K, O>) => ResponseOf<N>;
}

/** One key of a declaration, as the pipeline walks them: its name, how it is declared, whether the request may leave it out. */
export interface KeyEntry {
  readonly name: string;
  readonly key: KeyDeclaration<never>;
  readonly optional: boolean;
}

/** Any declaration, as the pipeline holds them, with its keys listed once, in resolution order. */
export interface AnyDeclaration {
  readonly name: CoreOperationName;
  readonly action: Action;
  readonly kind: 'data' | 'read' | 'change';
  readonly keyList: readonly KeyEntry[];
  readonly alias?: string;
  readonly resource?: (ctx: KmsContext, request: never) => string;
  readonly recordedResponse?: (response: never) => unknown;
  readonly check?: (request: never) => void;
  readonly ignoresGrantTokens?: true;
  readonly authorizedByGrant?: true;
  readonly dryRunDecrypts?: true;
  readonly recordedDefaults?: Readonly<Record<string, string>>;
  readonly hiddenMembers?: readonly string[];
  readonly keyInResponse?: true;
  readonly handler: (ctx: KmsContext, request: never, keys: never) => unknown;
}

/** Declares an operation; the type parameters are inferred, so that the handler's request and keys are typed. */
export function declare<N extends CoreOperationName, K extends string = never, O extends string = never>(declaration: OperationDeclaration<N, K, O>): AnyDeclaration {
  const entries = (keys: Readonly<Record<string, KeyDeclaration<RequestOf<N>>>> | undefined, optional: boolean): KeyEntry[] =>
    Object.entries(keys ?? {}).map(([name, key]) => ({ name, key: key as unknown as KeyDeclaration<never>, optional }));
  return { ...(declaration as unknown as Omit<AnyDeclaration, 'keyList'>), keyList: [...entries(declaration.keys, false), ...entries(declaration.optionalKeys, true)] };
}
