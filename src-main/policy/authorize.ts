import type { Principal } from '../../src-shared/caller';
import { KmsError } from '../../src-shared/errors';
import type { PolicyDocument } from './document';
import { evaluate, type Decision, type NamedPolicy } from './evaluate';
import type { GrantInput } from './grants';
import type { RequestFacts } from './requestContext';

/** The request an authorization decision is made on. */
export interface AuthorizationRequest {
  principal: Principal;
  action: `kms:${string}` | `cloudtrail:${string}` | `iam:${string}` | `strongroom:${string}`;
  /** The key's ARN, or "*" for an action that names no key. */
  resource: string;
  /** Who manages the key: AWS-managed keys (Strongroom's own) can be used and read, never changed. */
  keyManager?: 'AWS' | 'CUSTOMER';
  /** The key's policy (for a key); the principal's identity policies; the key's grants. */
  keyPolicy?: PolicyDocument;
  identityPolicies?: readonly NamedPolicy[];
  grants?: readonly GrantInput[];
  /** What the request says, for conditions. */
  facts: RequestFacts;
}

/** What anyone may do with an AWS-managed key; every other action on one is refused. */
const MANAGED_KEY_ACTIONS: ReadonlySet<string> = new Set([
  'kms:DescribeKey', 'kms:ListAliases', 'kms:ListResourceTags', 'kms:GetKeyRotationStatus', 'kms:ListKeyRotations', 'kms:GetKeyPolicy', 'kms:ListKeyPolicies', 'kms:ListGrants',
  'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext',
]);

/**
 * Allows or refuses one call; every operation passes here before it acts.
 * AWS-managed keys refuse every change; otherwise the decision is AWS's
 * (policy/evaluate.ts): the key policy, the principal's identity policies
 * and the key's grants. A refusal is AccessDeniedException naming the
 * principal, the action and the key, as AWS's are, and why.
 */
export function authorize(request: AuthorizationRequest): Decision {
  if (request.keyManager === 'AWS' && !MANAGED_KEY_ACTIONS.has(request.action)) {
    throw new KmsError('AccessDeniedException', `${request.resource} is an AWS managed key that Strongroom uses for its own features: it cannot be changed with ${request.action}.`);
  }
  const decision = evaluate({
    principal: request.principal,
    action: request.action,
    resource: request.resource,
    ...(request.keyPolicy === undefined ? {} : { keyPolicy: request.keyPolicy }),
    identityPolicies: request.identityPolicies ?? [],
    grants: request.grants ?? [],
    facts: request.facts,
  });
  if (decision.effect === 'Allow') return decision;
  const how = decision.effect === 'ExplicitDeny' ? 'with an explicit deny' : 'because no policy or grant allows it';
  throw new KmsError('AccessDeniedException', `User: ${request.principal.arn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${how}. ${decision.reason}`);
}
