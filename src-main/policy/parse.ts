/**
 * Parsing a policy document (JSON text, at most 32 KB) into its typed form.
 * zod checks the shape; the checks after it (principals, actions,
 * resources, condition operators, keys and values) need messages that say
 * what to write instead. Anything wrong raises
 * MalformedPolicyDocumentException naming the problem and where it is.
 */
import * as z from 'zod';
import { KmsError } from '../../src-shared/errors';
import { LIMITS } from '../../src-shared/limits';
import { conditionKeyProblem } from './conditionKeys';
import { parseOperator, valueProblem } from './conditions';
import type { Condition, PatternSet, PolicyDocument, PolicyKind, PrincipalEntry, PrincipalSet, Statement } from './document';
import { type AmbiguousMember, findAmbiguousMember } from './jsonMembers';
import { hasWildcard, splitArn } from './wildcard';

const stringList = z.union([z.string(), z.array(z.string()).min(1)]);
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const principal = z.union([
  z.literal('*'),
  z.strictObject({ AWS: stringList.optional(), Service: stringList.optional(), Federated: stringList.optional(), CanonicalUser: stringList.optional() }),
]);
const statement = z.strictObject({
  Sid: z.string().optional(),
  Effect: z.enum(['Allow', 'Deny']),
  Principal: principal.optional(),
  NotPrincipal: principal.optional(),
  Action: stringList.optional(),
  NotAction: stringList.optional(),
  Resource: stringList.optional(),
  NotResource: stringList.optional(),
  Condition: z.record(z.string(), z.record(z.string(), z.union([scalar, z.array(scalar).min(1)]))).optional(),
});
const document = z.strictObject({
  Version: z.enum(['2008-10-17', '2012-10-17']).optional(),
  Id: z.string().optional(),
  Statement: z.preprocess((value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? [value] : value), z.array(statement).min(1)),
});
type RawStatement = z.infer<typeof statement>;

/** What each member must be, for messages about its shape. */
const EXPECTED: Readonly<Record<string, string>> = {
  Version: 'must be "2012-10-17" or "2008-10-17"',
  Id: 'must be a string',
  Statement: 'must be a statement (an object) or a non-empty list of statements',
  Sid: 'must be a string',
  Effect: 'must be "Allow" or "Deny"',
  Principal: 'must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}',
  NotPrincipal: 'must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:user/Alice"}',
  Action: 'must be a string or a non-empty list of strings',
  NotAction: 'must be a string or a non-empty list of strings',
  Resource: 'must be a string or a non-empty list of strings',
  NotResource: 'must be a string or a non-empty list of strings',
  Condition: 'must be an object of operators, each an object of condition keys and their values (a string, number or boolean, or a non-empty list of them)',
  AWS: 'must be a string or a non-empty list of strings',
  Service: 'must be a string or a non-empty list of strings',
};

/** Where a problem is: the statement (index and Sid) and the member. */
interface Place {
  readonly index?: number;
  readonly sid?: string | undefined;
  readonly member?: string;
}

function malformed(place: Place, problem: string): KmsError {
  const where: string[] = [];
  if (place.index !== undefined) where.push(place.sid === undefined ? `Statement[${String(place.index)}]` : `Statement[${String(place.index)}] (Sid "${place.sid}")`);
  if (place.member !== undefined) where.push(place.member);
  const prefix = where.length === 0 ? '' : `${where.join(', ')}: `;
  return new KmsError('MalformedPolicyDocumentException', `${prefix}${problem}`);
}

function rawSid(raw: unknown, index: number): string | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const list = (raw as { Statement?: unknown }).Statement;
  const item: unknown = Array.isArray(list) ? list[index] : list;
  const sid = item !== null && typeof item === 'object' ? (item as { Sid?: unknown }).Sid : undefined;
  return typeof sid === 'string' ? sid : undefined;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

/** What a member of a Condition must be, by its depth below Condition. */
function conditionExpectation(depth: number): string {
  if (depth <= 1) return EXPECTED.Condition ?? '';
  if (depth === 2) return 'must be an object of condition keys and their values';
  return 'must be a string, number or boolean, or a non-empty list of them';
}

/** The first shape problem zod found, worded for a person. */
function shapeProblem(error: z.ZodError, raw: unknown): KmsError {
  const issues = [...error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  const issue = issues[0];
  const path = issue?.path ?? [];
  const index = path[0] === 'Statement' && typeof path[1] === 'number' ? path[1] : undefined;
  const place: Place = index === undefined ? {} : { index, sid: rawSid(raw, index) };
  const names = (index === undefined ? path : path.slice(2)).map(String);
  const member = names.length === 0 ? undefined : names.join('.');
  const at: Place = { ...place, ...(member === undefined ? {} : { member }) };
  if (issue?.code === 'unrecognized_keys') {
    const known = index === undefined ? ['Version', 'Id', 'Statement'] : names.includes('Principal') || names.includes('NotPrincipal') ? ['AWS', 'Service'] : Object.keys(statement.shape);
    const unknown = issue.keys[0] ?? '';
    const near = known.find((k) => k.toLowerCase() === unknown.toLowerCase());
    const hint = near === undefined ? ` Members are ${known.join(', ')}.` : ` Member names are case-sensitive: did you mean ${near}?`;
    return malformed(at, `Syntax errors in policy: unknown member "${unknown}".${hint}`);
  }
  const last = names[names.length - 1];
  if (last === undefined) return malformed(at, 'Syntax errors in policy: the policy must be a JSON object with Version and Statement.');
  const expectation = names[0] === 'Condition' ? conditionExpectation(names.length) : (EXPECTED[last] ?? 'has the wrong type');
  if (valueAt(raw, path) === undefined) return malformed(place, `Syntax errors in policy: required member ${last} is missing; it ${expectation}.`);
  return malformed(at, `Syntax errors in policy: ${last} ${expectation}.`);
}

/** A repeated or `__proto__` member, worded with where it is. */
function ambiguityProblem({ path, problem }: AmbiguousMember, raw: unknown): KmsError {
  const index = path[0] === 'Statement' && typeof path[1] === 'number' ? path[1] : path[0] === 'Statement' && typeof path[1] === 'string' ? 0 : undefined;
  const rest = (index === undefined ? path : path.slice(typeof path[1] === 'number' ? 2 : 1)).map(String);
  const name = rest[rest.length - 1] ?? '';
  const place: Place = { ...(index === undefined ? {} : { index, sid: rawSid(raw, index) }), ...(rest.length === 0 ? {} : { member: rest.join('.') }) };
  return malformed(
    place,
    problem === 'repeated'
      ? `Syntax errors in policy: member "${name}" is given more than once in the same object; give it once.`
      : 'Syntax errors in policy: a member may not be named "__proto__".',
  );
}

function list(value: string | readonly string[] | undefined): readonly string[] | undefined {
  return value === undefined ? undefined : typeof value === 'string' ? [value] : value;
}

const ACCOUNT = /^\d{12}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(?:iam::(\d{12}):(?:root|user\/[\w+=,.@/-]{1,512}|role\/[\w+=,.@/-]{1,512})|sts::(\d{12}):assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(?:\.cn)?$/;

function principalEntries(value: z.infer<typeof principal>, place: Place): readonly PrincipalEntry[] {
  if (value === '*') return [{ kind: 'any' }];
  if (value.Federated !== undefined || value.CanonicalUser !== undefined) {
    throw malformed(place, 'Policy contains a statement with one or more invalid principals: Strongroom has no federated or canonical-user principals. Name principals with "AWS" (account ids and IAM ARNs) or "*".');
  }
  const entries: PrincipalEntry[] = [];
  for (const aws of list(value.AWS) ?? []) {
    if (aws === '*') entries.push({ kind: 'any' });
    else if (ACCOUNT.test(aws)) entries.push({ kind: 'account', accountId: aws });
    else {
      const match = PRINCIPAL_ARN.exec(aws);
      if (!match) {
        throw malformed(place, `Policy contains a statement with one or more invalid principals: "${aws}" is not "*", a 12-digit account id, or the ARN of an account root, user or role (arn:aws:iam::111122223333:user/Alice); wildcards are not allowed in principals.`);
      }
      entries.push(aws.endsWith(':root') ? { kind: 'account', accountId: match[1] ?? '' } : { kind: 'arn', arn: aws });
    }
  }
  for (const service of list(value.Service) ?? []) {
    if (!SERVICE.test(service)) throw malformed(place, `Policy contains a statement with one or more invalid principals: "${service}" is not a service principal such as "ec2.amazonaws.com".`);
    entries.push({ kind: 'service', name: service });
  }
  if (entries.length === 0) throw malformed(place, 'Policy contains a statement with one or more invalid principals: the principal names no one. Use {"AWS": "<account id or ARN>"} or "*".');
  return entries;
}

const ACTION = /^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/;

function actionPatterns(values: readonly string[], place: Place): readonly string[] {
  for (const action of values) {
    if (action === '*') continue;
    const vendor = action.split(':')[0] ?? '';
    if (!action.includes(':')) throw malformed(place, `Actions must be prefaced by a vendor, e.g. kms:Decrypt; "${action}" has none.`);
    if (hasWildcard(vendor)) throw malformed(place, `Action vendors must not contain wildcards: "${action}". Write kms:* for every AWS KMS action.`);
    if (!ACTION.test(action)) throw malformed(place, `"${action}" is not an action: write vendor:Name, where the name holds letters, digits, * and ?.`);
  }
  return values;
}

function resourcePatterns(values: readonly string[], place: Place, version: PolicyDocument['version']): readonly string[] {
  for (const resource of values) {
    if (resource === '*') continue;
    const parts = splitArn(resource);
    if (parts === undefined) throw malformed(place, `Resource ${resource} must be in ARN format or "*" (arn:aws:kms:<region>:<account>:key/<key id>).`);
    if (hasWildcard(parts[2] ?? '') || parts[2] === '') throw malformed(place, `Resource vendor must be fully qualified and cannot contain wildcards: "${resource}".`);
    refuseVariables(resource, place, version);
  }
  return values;
}

/** Policy variables (`${aws:username}`) are not supported: refuse them where version 2012-10-17 would expand them. */
function refuseVariables(value: string, place: Place, version: PolicyDocument['version']): void {
  if (version === '2012-10-17' && value.includes('${')) {
    throw malformed(place, `"${value}" holds a policy variable (\${…}), which Strongroom does not expand. Write the value itself.`);
  }
}

function patternSet(positive: readonly string[] | undefined, negative: readonly string[] | undefined, member: 'Action' | 'Resource', place: Place, check: (values: readonly string[], place: Place) => readonly string[]): PatternSet {
  if (positive !== undefined && negative !== undefined) throw malformed(place, `A statement has either ${member} or Not${member}, not both.`);
  if (positive === undefined && negative === undefined) {
    throw malformed(place, member === 'Action' ? 'Policy statement must contain actions: add Action (or NotAction).' : 'Policy statement must contain resources: add Resource (or NotResource); in a key policy "*" means this key.');
  }
  const negated = positive === undefined;
  return { negated, patterns: check(positive ?? negative ?? [], { ...place, member: negated ? `Not${member}` : member }) };
}

function conditions(raw: RawStatement['Condition'], place: Place, version: PolicyDocument['version']): readonly Condition[] {
  const result: Condition[] = [];
  for (const [operator, keys] of Object.entries(raw ?? {})) {
    const at = { ...place, member: `Condition.${operator}` };
    const parsed = parseOperator(operator);
    if ('problem' in parsed) throw malformed(at, parsed.problem);
    const entries = Object.entries(keys);
    if (entries.length === 0) throw malformed(at, 'The operator names no condition key: give it at least one key and its values.');
    for (const [key, value] of entries) {
      const keyPlace = { ...place, member: `Condition.${operator}.${key}` };
      const keyProblem = conditionKeyProblem(key);
      if (keyProblem !== undefined) throw malformed(keyPlace, keyProblem);
      const values = (Array.isArray(value) ? value : [value]).map((v) => String(v));
      for (const v of values) {
        const problem = valueProblem(parsed.base, v);
        if (problem !== undefined) throw malformed(keyPlace, problem);
        refuseVariables(v, keyPlace, version);
      }
      result.push({ operator, base: parsed.base, qualifier: parsed.qualifier, ifExists: parsed.ifExists, key, values });
    }
  }
  return result;
}

function principals(raw: RawStatement, kind: PolicyKind, place: Place): PrincipalSet | undefined {
  const given = raw.Principal ?? raw.NotPrincipal;
  if (kind === 'identity') {
    if (given !== undefined) throw malformed({ ...place, member: raw.Principal === undefined ? 'NotPrincipal' : 'Principal' }, 'Policy document should not specify a principal: an identity policy applies to the user it is attached to.');
    return undefined;
  }
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined) throw malformed(place, 'A statement has either Principal or NotPrincipal, not both.');
  if (given === undefined) throw malformed(place, 'A key policy statement must name its principals: add Principal (or NotPrincipal), e.g. {"AWS": "arn:aws:iam::111122223333:root"}.');
  const negated = raw.Principal === undefined;
  return { negated, entries: principalEntries(given, { ...place, member: negated ? 'NotPrincipal' : 'Principal' }) };
}

function toStatement(raw: RawStatement, index: number, kind: PolicyKind, version: PolicyDocument['version']): Statement {
  const place: Place = { index, sid: raw.Sid };
  if (kind === 'identity' && raw.Sid !== undefined && !/^[0-9A-Za-z]*$/.test(raw.Sid)) {
    throw malformed({ ...place, member: 'Sid' }, 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*.');
  }
  return {
    index,
    sid: raw.Sid,
    effect: raw.Effect,
    principals: principals(raw, kind, place),
    actions: patternSet(list(raw.Action), list(raw.NotAction), 'Action', place, actionPatterns),
    resources: patternSet(list(raw.Resource), list(raw.NotResource), 'Resource', place, (values, at) => resourcePatterns(values, at, version)),
    conditions: conditions(raw.Condition, place, version),
  };
}

/**
 * Parses a key policy (`kind` 'key': statements name principals) or an
 * identity policy ('identity': they must not) from its JSON text.
 * Throws MalformedPolicyDocumentException naming the problem and where.
 */
export function parsePolicy(text: string, kind: PolicyKind): PolicyDocument {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > LIMITS.policyMaxBytes) throw malformed({}, `The policy is ${String(bytes)} bytes; a policy may be at most ${String(LIMITS.policyMaxBytes)} bytes.`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? ` (${error.message})` : '';
    throw malformed({}, `This policy contains invalid Json${detail}.`);
  }
  const ambiguous = findAmbiguousMember(text);
  if (ambiguous !== undefined) throw ambiguityProblem(ambiguous, raw);
  const parsed = document.safeParse(raw);
  if (!parsed.success) throw shapeProblem(parsed.error, raw);
  const version = parsed.data.Version ?? '2008-10-17';
  const statements = parsed.data.Statement.map((s, i) => toStatement(s, i, kind, version));
  if (kind === 'identity') {
    const seen = new Set<string>();
    for (const s of statements) {
      if (s.sid === undefined || s.sid === '') continue;
      if (seen.has(s.sid)) throw malformed({ index: s.index, sid: s.sid, member: 'Sid' }, 'Statement IDs (SID) in a single policy must be unique.');
      seen.add(s.sid);
    }
  }
  return { kind, version, id: parsed.data.Id, statements };
}
