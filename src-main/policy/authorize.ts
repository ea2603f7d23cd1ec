import type { Principal } from '../../src-shared/caller';
import { KmsError } from '../../src-shared/errors';

/** The request an authorization decision is made on. */
export interface AuthorizationRequest {
  principal: Principal;
  action: `kms:${string}` | `cloudtrail:${string}`;
  resource: string;
  context?: Readonly<Record<string, string>>;
  /** Who manages the key: AWS-managed keys (Strongroom's own) can be used and read, never changed. */
  keyManager?: 'AWS' | 'CUSTOMER';
  /** Grant tokens the request gives, for grants not yet seen everywhere. */
  grantTokens?: readonly string[];
}

/** What anyone may do with an AWS-managed key; every other action on one is refused. */
const MANAGED_KEY_ACTIONS: ReadonlySet<string> = new Set([
  'kms:DescribeKey', 'kms:ListAliases', 'kms:ListResourceTags', 'kms:GetKeyRotationStatus', 'kms:ListKeyRotations', 'kms:GetKeyPolicy',
  'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext',
]);

/**
 * Allows or refuses one call; every operation passes here before it acts.
 * Grant tokens are refused (there are no grants); AWS-managed keys refuse
 * every change; otherwise the account root is allowed everything and any
 * other principal is refused until key policies and grants say otherwise.
 */
export function authorize(request: AuthorizationRequest): void {
  if (request.grantTokens !== undefined && request.grantTokens.length > 0) {
    throw new KmsError('InvalidGrantTokenException', 'This vault has no grants, so no grant token is valid. Call again without GrantTokens.');
  }
  if (request.keyManager === 'AWS' && !MANAGED_KEY_ACTIONS.has(request.action)) {
    throw new KmsError('AccessDeniedException', `${request.resource} is an AWS managed key that Strongroom uses for its own features: it cannot be changed with ${request.action}.`);
  }
  if (request.principal.type === 'Root') return;
  throw new KmsError('AccessDeniedException', `${request.principal.arn} is not authorized to perform ${request.action} on ${request.resource}.`);
}
