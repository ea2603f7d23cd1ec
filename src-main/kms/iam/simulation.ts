import { rootPrincipal, type Principal } from '../../../src-shared/caller';
import { evaluate, type Decision } from '../../policy/evaluate';
import type { RequestFacts } from '../../policy/requestContext';
import type { KeyRow } from '../../vault/keysRepo';
import { userNameOfArn } from '../engine/users';
import type { KmsContext } from '../pipeline/declaration';
import { aliasNamed, factsOf } from '../pipeline/steps';

/** A decision as IAM's simulator names it. */
export const DECISION_NAMES = { Allow: 'allowed', ExplicitDeny: 'explicitDeny', ImplicitDeny: 'implicitDeny' } as const;

/** One question for the policy simulator: who, which action, on which key (or the account), with what in the request. */
export interface Simulation {
  readonly principalArn: string;
  readonly action: string;
  /** The key, and how the request named it (for kms:RequestAlias). */
  readonly key?: { readonly row: KeyRow; readonly named: string };
  readonly encryptionContext?: Readonly<Record<string, string>>;
  readonly grantOperations?: readonly string[];
}

/** The principal an ARN names: the account root, a user of the vault (with its id), or a user it does not have (which no identity policy allows anything). */
function principalOfArn(ctx: KmsContext, arn: string): Principal {
  const accountId = arn.split(':')[4] ?? '';
  if (arn.endsWith(':root')) return rootPrincipal(accountId);
  const { users } = ctx.vault;
  const user = users.repo.user(userNameOfArn(arn) ?? '');
  return user !== undefined && users.arnOf(user) === arn ? users.principalOf(user) : { type: 'User', accountId, arn };
}

/**
 * The decision the vault would make on a call, made by the same engine,
 * with the same key policy, the principal's identity policies, the key's
 * grants and request context (the key's spec, aliases and tags, the alias
 * named) as every call; nothing is called.
 */
export function simulate(ctx: KmsContext, question: Simulation): Decision {
  const { store, users } = ctx.vault;
  const principal = principalOfArn(ctx, question.principalArn);
  const { key } = question;
  const more: Partial<RequestFacts> = question.grantOperations === undefined ? {} : { grantOperations: question.grantOperations };
  const now = new Date();
  return evaluate({
    principal,
    action: question.action,
    resource: key === undefined ? '*' : store.keyArn(key.row.keyId),
    identityPolicies: users.identityPolicies(principal),
    ...(key === undefined ? {} : { keyPolicy: store.keyPolicy(key.row.keyId).document, grants: store.grantsOf(key.row.keyId) }),
    facts: key === undefined ? { now, ...more } : factsOf(store, key.row, question.encryptionContext, aliasNamed(key.named), now, more),
  });
}
