import { KmsError } from '../../src-shared/errors';

/**
 * Who is calling. Until key policies exist, the one principal that acts is
 * the vault's account root (whoever unlocked it); a User is anyone else a
 * door may name, and is refused until policies and grants allow it.
 */
export interface Principal {
  type: 'Root' | 'User';
  accountId: string;
  arn: string;
}

/** The principal of whoever unlocked the vault with account `accountId`. */
export function rootPrincipal(accountId: string): Principal {
  return { type: 'Root', accountId, arn: `arn:aws:iam::${accountId}:root` };
}

/** The request an authorization decision is made on. */
export interface AuthorizationRequest {
  principal: Principal;
  action: `kms:${string}`;
  resource: string;
  context?: Readonly<Record<string, string>>;
}

/**
 * Allows or refuses one call; every operation passes here before it acts.
 * The account root is allowed everything; any other principal is refused
 * until key policies and grants say otherwise.
 */
export function authorize(request: AuthorizationRequest): void {
  if (request.principal.type === 'Root') return;
  throw new KmsError('AccessDeniedException', `${request.principal.arn} is not authorized to perform ${request.action} on ${request.resource}.`);
}
