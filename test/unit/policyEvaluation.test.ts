import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src-shared/caller';
import { defaultKeyPolicy } from '../../src-main/policy/defaultKeyPolicy';
import type { PolicyDocument } from '../../src-main/policy/document';
import { evaluate, type DecidedBy, type Decision } from '../../src-main/policy/evaluate';
import { parsePolicy } from '../../src-main/policy/parse';
import type { RequestFacts } from '../../src-main/policy/requestContext';
import { CASES, MATRICES, type Case, type Facts } from './policy/cases';
import { ACCOUNT, GRANTS, IDENTITY_POLICIES, KEY, KEY_POLICIES, PRINCIPALS } from './policy/library';

function keyPolicy(name: string): PolicyDocument | undefined {
  if (name === 'none') return undefined;
  const text = name === 'default' ? defaultKeyPolicy(ACCOUNT) : JSON.stringify(KEY_POLICIES[name] ?? expect.fail(`no key policy ${name}`));
  return parsePolicy(text, 'key');
}

function identityPolicy(name: string) {
  return { name, document: parsePolicy(JSON.stringify(IDENTITY_POLICIES[name] ?? expect.fail(`no identity policy ${name}`)), 'identity') };
}

function requestFacts(facts: Facts = {}): RequestFacts {
  const { now, ec, ...rest } = facts;
  return { ...rest, now: new Date(now ?? '2026-03-01T12:00:00Z'), ...(ec === undefined ? {} : { encryptionContext: ec }) };
}

function ref(by: DecidedBy): string {
  switch (by.source) {
    case 'keyPolicy':
      return `key#${String(by.index)}`;
    case 'identityPolicy':
      return `id:${by.policyName}#${String(by.index)}`;
    case 'grant':
      return `grant:${by.grantId}`;
    case 'accountRoot':
      return 'root';
  }
}

/** A decision in the table's words: "allow key#0 id:useAll#0", "deny key#1", "implicit". */
function summary(decision: Decision): string {
  const effect = { Allow: 'allow', ExplicitDeny: 'deny', ImplicitDeny: 'implicit' }[decision.effect];
  return [effect, ...(decision.enabledBy ? [ref(decision.enabledBy)] : []), ...(decision.decidedBy ? [ref(decision.decidedBy)] : [])].join(' ');
}

function decide(c: Case): Decision {
  const principal: Principal = PRINCIPALS[c.principal];
  const policy = keyPolicy(c.key);
  return evaluate({
    principal,
    action: c.action,
    resource: c.resource ?? (c.key === 'none' ? '*' : KEY),
    ...(policy === undefined ? {} : { keyPolicy: policy }),
    identityPolicies: (c.identity ?? []).map(identityPolicy),
    grants: (c.grants ?? []).map((g) => GRANTS[g] ?? expect.fail(`no grant ${g}`)),
    facts: requestFacts(c.facts),
  });
}

const fromMatrices: Case[] = MATRICES.flatMap((m) =>
  m.rows.flatMap(([principal, ...cells]) => {
    expect(cells).toHaveLength(m.actions.length);
    return cells.map((expected, i) => ({
      name: `${m.name}: ${principal} ${m.actions[i] ?? ''}`,
      principal,
      action: m.actions[i] ?? '',
      key: m.key,
      identity: m.identity?.[principal] ?? [],
      grants: m.grants ?? [],
      ...(m.facts ? { facts: m.facts } : {}),
      expect: expected,
    }));
  }),
);
const all = [...fromMatrices, ...CASES];

describe('policy evaluation, case by case', () => {
  it('has at least 200 cases', () => {
    expect(all.length).toBeGreaterThanOrEqual(200);
  });

  it.each(all.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const decision = decide(c);
    expect(summary(decision), decision.reason).toBe(c.expect);
    expect(decision.reason.length).toBeGreaterThan(0);
  });
});

describe('what a decision says', () => {
  it('names the statement and Sid that decided', () => {
    const decision = decide({ name: '', principal: 'bob', action: 'kms:Decrypt', key: 'denyDecryptBob', expect: '' });
    expect(decision.decidedBy).toEqual({ source: 'keyPolicy', index: 1, sid: 'NoDecryptForBob' });
    expect(decision.reason).toBe('Explicitly denied by statement 1 (Sid "NoDecryptForBob") of the key policy.');
  });

  it('names the identity policy and the key policy statement that let it decide', () => {
    const decision = decide({ name: '', principal: 'alice', action: 'kms:Encrypt', key: 'default', identity: ['useAll'], expect: '' });
    expect(decision.reason).toBe('Allowed by statement 0 (Sid "UseKeys") of identity policy "useAll", which statement 0 (Sid "Enable IAM User Permissions") of the key policy lets the account\'s identity policies decide.');
  });

  it('says why nothing allowed a call', () => {
    const decision = decide({ name: '', principal: 'bob', action: 'kms:Decrypt', key: 'default', expect: '' });
    expect(decision.reason).toBe("Statement 0 (Sid \"Enable IAM User Permissions\") of the key policy lets the account's identity policies decide, and none of those of arn:aws:iam::111122223333:user/Bob allows kms:Decrypt.");
    expect(decide({ name: '', principal: 'carol', action: 'kms:Decrypt', key: 'default', expect: '' }).reason).toBe('No statement of the key policy, and no grant, allows arn:aws:iam::444455556666:user/Carol to call kms:Decrypt.');
  });
});
