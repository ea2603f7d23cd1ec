import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KmsError } from '../../src-shared/errors';
import { BASE_OPERATORS } from '../../src-main/policy/document';
import { evaluate } from '../../src-main/policy/evaluate';
import { findAmbiguousMember } from '../../src-main/policy/jsonMembers';
import { parsePolicy } from '../../src-main/policy/parse';
import { wildcardMatch } from '../../src-main/policy/wildcard';
import { KEY, PRINCIPALS } from './policy/library';

/** Parses `text`; anything thrown other than MalformedPolicyDocumentException fails the property. */
function parsesOrRefuses(text: string, kind: 'key' | 'identity') {
  try {
    return parsePolicy(text, kind);
  } catch (error) {
    if (!(error instanceof KmsError) || error.type !== 'MalformedPolicyDocumentException') throw error;
    expect(error.message.length).toBeGreaterThan(0);
    return undefined;
  }
}

const kinds = fc.constantFrom<'key' | 'identity'>('key', 'identity');
const oneOrMany = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 3 }));
const action = fc.constantFrom('kms:*', 'kms:Decrypt', 'kms:Encrypt', 'kms:Generate*', 'kms:Re?ncrypt*', '*', 'kms:PutKeyPolicy');
const resource = fc.constantFrom('*', KEY, 'arn:aws:kms:*:111122223333:key/*');
const principal = fc.oneof(
  fc.constant('*'),
  fc.record({ AWS: oneOrMany(fc.constantFrom('*', '111122223333', 'arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:user/Bob', 'arn:aws:iam::444455556666:user/Carol')) }),
);
const operator = fc.tuple(fc.constantFrom('', 'ForAnyValue:', 'ForAllValues:'), fc.constantFrom(...BASE_OPERATORS.filter((op) => !/^(Numeric|Date|Bool|Null)/.test(op))), fc.constantFrom('', 'IfExists')).map(([q, op, e]) => `${q}${op}${e}`);
const conditionKey = fc.constantFrom('kms:EncryptionContext:Dept', 'kms:EncryptionContextKeys', 'kms:CallerAccount', 'kms:ViaService', 'aws:PrincipalArn', 'aws:ResourceTag/Project');
const condition = fc.dictionary(operator, fc.dictionary(conditionKey, oneOrMany(fc.string({ unit: fc.constantFrom('a', 'B', '1', '*', '?', ' ', ':', 'é'), maxLength: 6 })), { minKeys: 1, maxKeys: 2 }), { maxKeys: 2 });

/** A well-formed statement; key policy statements name principals. */
const statement = (kind: 'key' | 'identity') =>
  fc.record(
    {
      Sid: fc.stringMatching(/^[A-Za-z0-9]{0,8}$/),
      Effect: fc.constantFrom('Allow', 'Deny'),
      ...(kind === 'key' ? { Principal: principal } : {}),
      Action: oneOrMany(action),
      Resource: oneOrMany(resource),
      Condition: condition,
    },
    { requiredKeys: kind === 'key' ? ['Effect', 'Principal', 'Action', 'Resource'] : ['Effect', 'Action', 'Resource'] },
  );
const validPolicy = kinds.chain((kind) =>
  fc.array(statement(kind), { minLength: 1, maxLength: 4 }).map((statements) => {
    // Identity policy Sids must be unique: number them.
    const numbered = statements.map((s, i) => ({ ...s, ...(s.Sid === undefined ? {} : { Sid: `${s.Sid}${String(i)}` }) }));
    return { kind, policy: { Version: '2012-10-17', Statement: numbered } };
  }),
);

type Json = Record<string, unknown>;
/** One change that may break a policy: drop, replace or add a member somewhere, or change a name's case. */
const mutation = fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('drop', 'replace', 'add', 'recase'), fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 8 }));

function mutate(policy: Json, [at, pick, how, value, name]: [number, number, string, unknown, string]): Json {
  const copy = structuredClone(policy);
  const objects: Json[] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    if (!Array.isArray(node)) objects.push(node as Json);
    for (const child of Object.values(node)) walk(child);
  };
  walk(copy);
  const target = objects[at % objects.length] ?? copy;
  const keys = Object.keys(target);
  const key = keys[pick % Math.max(keys.length, 1)];
  if (how === 'add' || key === undefined) target[name] = value;
  else if (how === 'drop') Reflect.deleteProperty(target, key);
  else if (how === 'replace') target[key] = value;
  else {
    const v = target[key];
    Reflect.deleteProperty(target, key);
    target[key.toLowerCase() === key ? key.toUpperCase() : key.toLowerCase()] = v;
  }
  return copy;
}

describe('the policy parser, fed anything', () => {
  it('parses every well-formed policy it is given, and evaluating it never throws', () => {
    fc.assert(
      fc.property(validPolicy, fc.constantFrom(...Object.values(PRINCIPALS)), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })), ({ kind, policy }, who, ec) => {
        const parsed = parsePolicy(JSON.stringify(policy), kind);
        const decision = evaluate({
          principal: who,
          action: 'kms:Decrypt',
          resource: KEY,
          ...(kind === 'key' ? { keyPolicy: parsed } : { identityPolicies: [{ name: 'p', document: parsed }] }),
          facts: { now: new Date(0), encryptionContext: ec },
        });
        expect(['Allow', 'ExplicitDeny', 'ImplicitDeny']).toContain(decision.effect);
      }),
      { numRuns: 300 },
    );
  });

  it('raises only MalformedPolicyDocumentException on near-valid policies', () => {
    fc.assert(
      fc.property(validPolicy, fc.array(mutation, { minLength: 1, maxLength: 3 }), ({ kind, policy }, changes) => {
        const changed = changes.reduce<Json>((p, m) => mutate(p, m), policy);
        parsesOrRefuses(JSON.stringify(changed), kind);
      }),
      { numRuns: 1000 },
    );
  });

  it('raises only MalformedPolicyDocumentException on cut, spliced or repeated text', () => {
    fc.assert(
      fc.property(validPolicy, fc.nat(), fc.nat(), fc.string({ maxLength: 6 }), ({ kind, policy }, a, b, insert) => {
        const text = JSON.stringify(policy);
        const i = a % (text.length + 1);
        const j = b % (text.length + 1);
        parsesOrRefuses(text.slice(0, i) + insert + text.slice(j), kind);
        parsesOrRefuses(text.slice(0, i) + text.slice(Math.min(i, j), Math.max(i, j)) + text.slice(i), kind);
      }),
      { numRuns: 1000 },
    );
  });

  it('raises only MalformedPolicyDocumentException on random JSON and random text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 4 }), fc.string(), fc.jsonValue().map((v) => JSON.stringify({ Statement: v }))), kinds, (text, kind) => {
        parsesOrRefuses(text, kind);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the pieces under the parser', () => {
  it('wildcards match as a regular expression of * and ? would', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', ':', '😀'), maxLength: 8 });
    fc.assert(
      fc.property(text, text, (pattern, value) => {
        const source = Array.from(pattern).map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
        expect(wildcardMatch(pattern, value)).toBe(new RegExp(`^${source}$`, 'su').test(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('wildcard matching takes linear steps on patterns that make regular expressions backtrack', () => {
    expect(wildcardMatch(`${'*a'.repeat(2000)}b`, 'a'.repeat(20_000))).toBe(false);
  });

  it('finds no ambiguous member in JSON that has none, and finds a repeated one', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const hasProto = text.includes('"__proto__":');
        expect(findAmbiguousMember(text) === undefined).toBe(!hasProto);
      }),
    );
    expect(findAmbiguousMember('{"a":{"b":[1,{"c":1,"d":"x\\"y","c":2}]}}')).toEqual({ path: ['a', 'b', 1, 'c'], problem: 'repeated' });
    expect(findAmbiguousMember('[{"a":1},{"a":1}]')).toBeUndefined();
  });
});
