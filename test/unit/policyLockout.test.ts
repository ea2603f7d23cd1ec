import { describe, expect, it } from 'vitest';
import { KmsError } from '../../src-shared/errors';
import { defaultKeyPolicy, KEY_POLICY_NAME } from '../../src-main/policy/defaultKeyPolicy';
import { evaluate } from '../../src-main/policy/evaluate';
import { checkLockout, wouldLockOut } from '../../src-main/policy/lockout';
import { parsePolicy } from '../../src-main/policy/parse';
import { ACCOUNT, IDENTITY_POLICIES, KEY, KEY_POLICIES, PRINCIPALS } from './policy/library';

const now = new Date('2026-03-01T12:00:00Z');
const keyPolicy = (name: string) => parsePolicy(name === 'default' ? defaultKeyPolicy(ACCOUNT) : JSON.stringify(KEY_POLICIES[name]), 'key');
const identity = (name: string) => ({ name, document: parsePolicy(JSON.stringify(IDENTITY_POLICIES[name]), 'identity') });

describe('the default key policy', () => {
  it('is the text AWS gives, under the name "default"', () => {
    expect(KEY_POLICY_NAME).toBe('default');
    expect(JSON.parse(defaultKeyPolicy(ACCOUNT))).toEqual({
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
    });
    expect(defaultKeyPolicy(ACCOUNT)).toContain('"Statement" : [ {\n    "Sid" : "Enable IAM User Permissions",');
  });

  it('lets the root do everything with the key and turns on identity policies', () => {
    const policy = keyPolicy('default');
    for (const action of ['kms:Decrypt', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant', 'kms:TagResource']) {
      expect(evaluate({ principal: PRINCIPALS.root, action, resource: KEY, keyPolicy: policy, facts: { now } }).effect).toBe('Allow');
      expect(evaluate({ principal: PRINCIPALS.alice, action, resource: KEY, keyPolicy: policy, facts: { now } }).effect).toBe('ImplicitDeny');
      expect(evaluate({ principal: PRINCIPALS.alice, action, resource: KEY, keyPolicy: policy, identityPolicies: [identity('admin')], facts: { now } }).effect).toBe('Allow');
    }
  });
});

describe('the policy lockout safety check', () => {
  const cases: [string, keyof typeof PRINCIPALS, string, string[], boolean][] = [
    ['the default policy keeps the root', 'root', 'default', [], false],
    ['the default policy keeps a user whose identity policy allows kms:*', 'alice', 'default', ['admin'], false],
    ['the default policy locks out a user without one', 'alice', 'default', [], true],
    ['the default policy locks out a user whose identity policy covers only use', 'alice', 'default', ['useAll'], true],
    ['a policy without the root statement locks out the root', 'root', 'noRoot', [], true],
    ['a NotAction statement for a user leaves the root statement in place', 'root', 'notAction', [], false],
    ['a Deny on PutKeyPolicy for everyone locks out the root', 'root', 'denyPolicyChanges', [], true],
    ['a key administrator keeps Put*', 'alice', 'console', [], false],
    ['a key user of the console policy is locked out', 'bob', 'console', [], true],
    ['an AWS managed key policy locks out everyone', 'root', 'viaService', [], true],
    ['a Deny of kms:Disable* does not touch PutKeyPolicy', 'root', 'denyDelete', [], false],
    ['another account named for use only is locked out, whatever its identity policy', 'carol', 'crossAccount', ['admin'], true],
  ];

  it.each(cases)('%s', (_name, who, policy, identities, lockedOut) => {
    const question = { policy: keyPolicy(policy), principal: PRINCIPALS[who], identityPolicies: identities.map(identity), keyArn: KEY, now };
    expect(wouldLockOut(question)).toBe(lockedOut);
  });

  it('refuses as AWS does, saying what to do', () => {
    const question = { policy: keyPolicy('noRoot'), principal: PRINCIPALS.root, keyArn: KEY, now };
    expect(() => {
      checkLockout(question);
    }).toThrow(KmsError);
    try {
      checkLockout(question);
    } catch (error) {
      expect((error as KmsError).type).toBe('MalformedPolicyDocumentException');
      expect((error as KmsError).message).toMatch(/^The new key policy will not allow you to update the key policy in the future: it must allow arn:aws:iam::111122223333:root to call kms:PutKeyPolicy/);
      expect((error as KmsError).message).toContain('BypassPolicyLockoutSafetyCheck');
    }
    expect(() => {
      checkLockout({ ...question, policy: keyPolicy('default') });
    }).not.toThrow();
  });
});
