/**
 * The policy lockout safety check: a new key policy must still let the
 * principal who sets it call PutKeyPolicy on the key, or nobody could ever
 * change it again (grants cannot give PutKeyPolicy). AWS refuses such a
 * policy unless the caller sets BypassPolicyLockoutSafetyCheck.
 */
import type { Principal } from '../../src-shared/caller';
import { KmsError } from '../../src-shared/errors';
import type { PolicyDocument } from './document';
import { evaluate, type NamedPolicy } from './evaluate';

export interface LockoutQuestion {
  /** The policy about to be set. */
  readonly policy: PolicyDocument;
  /** Who sets it. */
  readonly principal: Principal;
  readonly identityPolicies?: readonly NamedPolicy[];
  /** The key's ARN. */
  readonly keyArn: string;
  readonly now: Date;
}

/** True when `policy` would stop `principal` from calling PutKeyPolicy on the key. */
export function wouldLockOut(question: LockoutQuestion): boolean {
  const decision = evaluate({
    principal: question.principal,
    action: 'kms:PutKeyPolicy',
    resource: question.keyArn,
    keyPolicy: question.policy,
    identityPolicies: question.identityPolicies ?? [],
    facts: { now: question.now },
  });
  return decision.effect !== 'Allow';
}

/** Throws MalformedPolicyDocumentException, as AWS does, when `policy` would lock its setter out. */
export function checkLockout(question: LockoutQuestion): void {
  if (!wouldLockOut(question)) return;
  throw new KmsError(
    'MalformedPolicyDocumentException',
    `The new key policy will not allow you to update the key policy in the future: it must allow ${question.principal.arn} to call kms:PutKeyPolicy on the key. Add a statement that does, or set BypassPolicyLockoutSafetyCheck if you mean to give up changing it.`,
  );
}
