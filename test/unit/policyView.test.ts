import { describe, expect, it } from 'vitest';
import { policyDiff, readPolicy } from '../../src-renderer/src/lib/policyView';
import { defaultKeyPolicy } from '../../src-main/policy/defaultKeyPolicy';

describe('a key policy in words, for the editor', () => {
  it('reads each statement: who, what, on what, and when', () => {
    const reading = readPolicy(
      JSON.stringify({
        Statement: [
          { Sid: 'Admins', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:user/alice', '444455556666'] }, Action: ['kms:Create*', 'kms:Put*'], Resource: '*' },
          { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, NotAction: 'kms:Describe*', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:app': ['a', 'b'] }, Bool: { 'aws:SecureTransport': false } } },
        ],
      }),
    );
    expect(reading).toEqual({
      ok: true,
      statements: [
        { label: 'Statement 0 (Admins)', effect: 'Allows', who: 'arn:aws:iam::111122223333:user/alice, account 444455556666 (its root, and its users as their policies allow)', what: 'kms:Create*, kms:Put*', on: 'this key', when: [] },
        {
          label: 'Statement 1',
          effect: 'Denies',
          who: 'everyone but account 111122223333 (its root, and its users as their policies allow)',
          what: 'everything but kms:Describe*',
          on: 'this key',
          when: ['kms:EncryptionContext:app StringEquals a or b', 'aws:SecureTransport Bool false'],
        },
      ],
    });
    expect(readPolicy(defaultKeyPolicy('111122223333'))).toMatchObject({ ok: true, statements: [{ label: 'Statement 0 (Enable IAM User Permissions)', effect: 'Allows', what: 'kms:*' }] });
  });

  it('says why text is not a policy: not JSON, not an object, no Statement; and reads what the core will refuse as missing', () => {
    expect(readPolicy('{"Statement": [')).toMatchObject({ ok: false, problem: expect.stringMatching(/^This is not JSON: /) as unknown });
    expect(readPolicy('[1]')).toEqual({ ok: false, problem: 'A policy is a JSON object with Version and Statement.' });
    expect(readPolicy('{"Version":"2012-10-17"}')).toEqual({ ok: false, problem: 'The policy has no Statement.' });
    expect(readPolicy('{"Statement":{"Effect":"Allow"}}')).toMatchObject({ ok: true, statements: [{ who: 'no one (Principal is missing)', what: 'nothing (Action is missing)' }] });
  });

  it('shows the lines a change adds and removes, in order', () => {
    expect(policyDiff('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
    expect(policyDiff('same', 'same')).toEqual([{ kind: 'same', text: 'same' }]);
  });
});
