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
  /** Who manages the key: AWS-managed keys (Strongroom's own) can be used and read, never changed. */
  keyManager?: 'AWS' | 'CUSTOMER';
}

/** What anyone may do with an AWS-managed key; every other action on one is refused. */
const MANAGED_KEY_ACTIONS: ReadonlySet<string> = new Set([
  'kms:DescribeKey', 'kms:ListAliases', 'kms:ListResourceTags', 'kms:GetKeyRotationStatus', 'kms:ListKeyRotations', 'kms:GetKeyPolicy',
  'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext',
]);

/**
 * Allows or refuses one call; every operation passes here before it acts.
 * AWS-managed keys refuse every change; otherwise the account root is
 * allowed everything and any other principal is refused until key policies
 * and grants say otherwise.
 */
export function authorize(request: AuthorizationRequest): void {
  if (request.keyManager === 'AWS' && !MANAGED_KEY_ACTIONS.has(request.action)) {
    throw new KmsError('AccessDeniedException', `${request.resource} is an AWS managed key that Strongroom uses for its own features: it cannot be changed with ${request.action}.`);
  }
  if (request.principal.type === 'Root') return;
  throw new KmsError('AccessDeniedException', `${request.principal.arn} is not authorized to perform ${request.action} on ${request.resource}.`);
}
