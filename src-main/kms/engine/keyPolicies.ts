import type { Principal } from '../../../src-shared/caller';
import { KmsError } from '../../../src-shared/errors';
import { LIMITS } from '../../../src-shared/limits';
import { KEY_POLICY_NAME } from '../../policy/defaultKeyPolicy';
import type { NamedPolicy } from '../../policy/evaluate';
import { checkLockout } from '../../policy/lockout';
import { parsePolicy } from '../../policy/parse';

/** NotFoundException unless `name` is absent or "default": a key has one policy, and that is its name. */
export function requirePolicyName(name: string | undefined, keyArn: string): void {
  if (name !== undefined && name !== KEY_POLICY_NAME) throw new KmsError('NotFoundException', `${keyArn} has no key policy named "${name}": its one policy is "${KEY_POLICY_NAME}".`);
}

/**
 * Checks a key policy before it is set: at most 32 KB (LimitExceededException,
 * AWS's quota), well formed (MalformedPolicyDocumentException naming the
 * problem and where), and, unless the caller bypasses the check, one that
 * still lets the caller change it, with its identity policies (the lockout
 * safety check).
 */
export function checkKeyPolicy(text: string, question: { readonly principal: Principal; readonly identityPolicies: readonly NamedPolicy[]; readonly keyArn: string; readonly bypassLockoutCheck: boolean }): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > LIMITS.policyMaxBytes) throw new KmsError('LimitExceededException', `The key policy is ${String(bytes)} bytes; a key policy may be at most ${String(LIMITS.policyMaxBytes)} bytes.`);
  const policy = parsePolicy(text, 'key');
  if (!question.bypassLockoutCheck) checkLockout({ policy, principal: question.principal, identityPolicies: question.identityPolicies, keyArn: question.keyArn, now: new Date() });
}
