import { describe, expect, it } from 'vitest';
import { KmsError } from '../../src-shared/errors';
import { parsePolicy } from '../../src-main/policy/parse';

/** The MalformedPolicyDocumentException message `text` gets, or a failure when it parses. */
function refusal(text: string, kind: 'key' | 'identity' = 'key'): string {
  try {
    parsePolicy(text, kind);
  } catch (error) {
    expect(error).toBeInstanceOf(KmsError);
    expect((error as KmsError).type).toBe('MalformedPolicyDocumentException');
    return (error as KmsError).message;
  }
  throw new Error(`expected ${text} to be refused`);
}

const statement = (extra: string) => `{"Version":"2012-10-17","Statement":[{"Sid":"Use","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*",${extra}}]}`;

describe('policy documents that would read one way and act another', () => {
  it('refuses a condition under a "__proto__" operator instead of dropping it (which would make the Allow unconditional)', () => {
    const text = statement('"Condition":{"__proto__":{"kms:CallerAccount":"111122223333"}}');
    expect(refusal(text)).toMatch(/Statement\[0\] \(Sid "Use"\).*Condition.*__proto__/);
  });

  it('refuses a condition key named "__proto__"', () => {
    expect(refusal(statement('"Condition":{"StringEquals":{"__proto__":"x"}}'))).toMatch(/__proto__/);
  });

  it('refuses a member given twice, which readers of the JSON disagree on', () => {
    const text = '{"Version":"2012-10-17","Statement":[{"Sid":"Use","Effect":"Deny","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}';
    expect(refusal(text)).toMatch(/Effect.*more than once/);
    expect(refusal(statement('"Condition":{"StringEquals":{"kms:CallerAccount":"1","kms:CallerAccount":"2"}}'))).toMatch(/kms:CallerAccount.*more than once/);
  });
});

const key = (statements: object[] | object, extra: object = {}) => JSON.stringify({ Version: '2012-10-17', ...extra, Statement: statements });
const allow = { Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };

describe('malformed policies: the problem and where it is', () => {
  const cases: [string, string, RegExp, ('key' | 'identity')?][] = [
    ['not JSON', '{"Version": "2012-10-17",', /^This policy contains invalid Json/],
    ['a list at the top', '[]', /must be a JSON object with Version and Statement/],
    ['no Statement', '{"Version":"2012-10-17"}', /required member Statement is missing/],
    ['an empty Statement list', key([]), /^Statement: .*non-empty list of statements/],
    ['an unknown Version', key([allow], { Version: '2012-10-18' }), /^Version: .*"2012-10-17" or "2008-10-17"/],
    ['an unknown top-level member', key([allow], { Statements: [] }), /unknown member "Statements"/],
    ['a member in the wrong case', key([{ ...allow, effect: 'Allow', Effect: undefined }]), /^Statement\[0\] \(Sid "Use"\): .*unknown member "effect".*did you mean Effect\?/],
    ['no Effect', key([{ ...allow, Effect: undefined }]), /^Statement\[0\] \(Sid "Use"\): .*required member Effect is missing/],
    ['Effect in lower case', key([{ ...allow, Effect: 'allow' }]), /^Statement\[0\] \(Sid "Use"\), Effect: .*"Allow" or "Deny"/],
    ['the second statement named', key([allow, { ...allow, Sid: 'Second', Action: 5 }]), /^Statement\[1\] \(Sid "Second"\), Action: /],
    ['no Sid: the index alone', key([{ ...allow, Sid: undefined, Resource: [] }]), /^Statement\[0\], Resource: /],
    ['no Action', key([{ ...allow, Action: undefined }]), /Policy statement must contain actions/],
    ['Action and NotAction', key([{ ...allow, NotAction: 'kms:Decrypt' }]), /either Action or NotAction/],
    ['no Resource', key([{ ...allow, Resource: undefined }]), /Policy statement must contain resources/],
    ['an action without a vendor', key([{ ...allow, Action: 'Decrypt' }]), /^Statement\[0\] \(Sid "Use"\), Action: Actions must be prefaced by a vendor/],
    ['a wildcard vendor', key([{ ...allow, Action: 'km*:Decrypt' }]), /Action vendors must not contain wildcards/],
    ['a NotAction with spaces', key([{ ...allow, Action: undefined, NotAction: ['kms:Decrypt', 'kms:Put Key'] }]), /^Statement\[0\] \(Sid "Use"\), NotAction: "kms:Put Key" is not an action/],
    ['a resource that is no ARN', key([{ ...allow, Resource: 'key/1234' }]), /Resource key\/1234 must be in ARN format or "\*"/],
    ['a wildcard resource vendor', key([{ ...allow, Resource: 'arn:aws:*:us-west-2:111122223333:key/x' }]), /Resource vendor must be fully qualified/],
    ['no principal in a key policy', key([{ ...allow, Principal: undefined }]), /must name its principals/],
    ['Principal and NotPrincipal', key([{ ...allow, NotPrincipal: '*' }]), /either Principal or NotPrincipal/],
    ['a principal that is not an ARN', key([{ ...allow, Principal: { AWS: 'Alice' } }]), /^Statement\[0\] \(Sid "Use"\), Principal: Policy contains a statement with one or more invalid principals/],
    ['a wildcard in a principal ARN', key([{ ...allow, Principal: { AWS: 'arn:aws:iam::111122223333:user/*' } }]), /invalid principals.*wildcards are not allowed/],
    ['an 11-digit account', key([{ ...allow, Principal: { AWS: '11112222333' } }]), /invalid principals/],
    ['a federated principal', key([{ ...allow, Principal: { Federated: 'cognito-identity.amazonaws.com' } }]), /invalid principals.*federated/],
    ['a service principal that is not one', key([{ ...allow, Principal: { Service: 'ec2' } }]), /invalid principals.*service principal/],
    ['an empty principal object', key([{ ...allow, Principal: {} }]), /invalid principals.*names no one/],
    ['a principal in an identity policy', key([allow]), /^Statement\[0\] \(Sid "Use"\), Principal: Policy document should not specify a principal/, 'identity'],
    ['a Sid with spaces in an identity policy', key([{ Sid: 'Use keys', Effect: 'Allow', Action: 'kms:*', Resource: '*' }]), /^Statement\[0\] \(Sid "Use keys"\), Sid: Statement IDs \(SID\) must be alpha-numeric/, 'identity'],
    ['two statements with one Sid in an identity policy', key([{ Sid: 'A', Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Sid: 'A', Effect: 'Deny', Action: 'kms:*', Resource: '*' }]), /^Statement\[1\] \(Sid "A"\), Sid: Statement IDs \(SID\) in a single policy must be unique/, 'identity'],
    ['an unknown operator', key([{ ...allow, Condition: { StringEqualz: { 'kms:CallerAccount': '1' } } }]), /^Statement\[0\] \(Sid "Use"\), Condition.StringEqualz: Invalid Condition type : StringEqualz/],
    ['an operator in the wrong case', key([{ ...allow, Condition: { stringequals: { 'kms:CallerAccount': '1' } } }]), /did you mean StringEquals\?/],
    ['Null with IfExists', key([{ ...allow, Condition: { NullIfExists: { 'kms:CallerAccount': 'true' } } }]), /Null takes neither IfExists/],
    ['Null with ForAllValues', key([{ ...allow, Condition: { 'ForAllValues:Null': { 'kms:CallerAccount': 'true' } } }]), /Null takes neither/],
    ['an unknown qualifier', key([{ ...allow, Condition: { 'ForSomeValues:StringEquals': { 'kms:CallerAccount': '1' } } }]), /Invalid Condition type : ForSomeValues:StringEquals/],
    ['an operator without keys', key([{ ...allow, Condition: { StringEquals: {} } }]), /names no condition key/],
    ['a misspelt kms key', key([{ ...allow, Condition: { StringEquals: { 'kms:EncryptionContextKey': 'a' } } }]), /^Statement\[0\] \(Sid "Use"\), Condition.StringEquals.kms:EncryptionContextKey: "kms:EncryptionContextKey" is not a condition key of AWS KMS/],
    ['kms:EncryptionContext: with no key', key([{ ...allow, Condition: { StringEquals: { 'kms:EncryptionContext:': 'a' } } }]), /is not a condition key of AWS KMS/],
    ['a key without a vendor', key([{ ...allow, Condition: { StringEquals: { CallerAccount: 'a' } } }]), /Condition keys must be prefaced by a vendor/],
    ['a number that is not one', key([{ ...allow, Condition: { NumericLessThan: { 'kms:RotationPeriodInDays': '0x10' } } }]), /NumericLessThan compares numbers, and "0x10" is not a number/],
    ['a date that is not one', key([{ ...allow, Condition: { DateLessThan: { 'aws:CurrentTime': 'next Tuesday' } } }]), /DateLessThan compares dates/],
    ['a Bool that is not one', key([{ ...allow, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'yes' } } }]), /Bool takes "true" or "false"/],
    ['a null value', key([{ ...allow, Condition: { StringEquals: { 'kms:CallerAccount': null } } }]), /Condition.StringEquals.kms:CallerAccount: .*a string, number or boolean/],
    ['an object value', key([{ ...allow, Condition: { StringEquals: { 'kms:CallerAccount': { a: 1 } } } }]), /a string, number or boolean/],
    ['an empty list of values', key([{ ...allow, Condition: { StringEquals: { 'kms:CallerAccount': [] } } }]), /a string, number or boolean, or a non-empty list/],
    ['a policy variable', key([{ ...allow, Condition: { StringEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/${aws:username}' } } }]), /policy variable/],
    ['over 32 KB', key([{ ...allow, Sid: 'x'.repeat(33_000) }]), /bytes; a policy may be at most 32768 bytes/],
  ];

  it.each(cases)('%s', (_name, text, message, kind) => {
    expect(refusal(text, kind)).toMatch(message);
  });
});

describe('well-formed policies', () => {
  it('read principals as AWS accepts them: "*", account ids, root, user and role ARNs, services', () => {
    const policy = parsePolicy(
      key([{ ...allow, Principal: { AWS: ['*', '111122223333', 'arn:aws:iam::444455556666:root', 'arn:aws:iam::111122223333:user/ops/Alice', 'arn:aws:iam::111122223333:role/Admin'], Service: 'ec2.amazonaws.com' } }]),
      'key',
    );
    expect(policy.statements[0]?.principals?.entries).toEqual([
      { kind: 'any' },
      { kind: 'account', accountId: '111122223333' },
      { kind: 'account', accountId: '444455556666' },
      { kind: 'arn', arn: 'arn:aws:iam::111122223333:user/ops/Alice' },
      { kind: 'arn', arn: 'arn:aws:iam::111122223333:role/Admin' },
      { kind: 'service', name: 'ec2.amazonaws.com' },
    ]);
  });

  it('read every operator with its qualifier and IfExists, values as strings', () => {
    const policy = parsePolicy(key([{ ...allow, Condition: { 'ForAllValues:StringLikeIfExists': { 'kms:EncryptionContextKeys': ['a*', 'b'] }, NumericLessThan: { 'kms:RotationPeriodInDays': 400 }, Bool: { 'kms:GrantIsForAWSResource': true } } }]), 'key');
    expect(policy.statements[0]?.conditions).toEqual([
      { operator: 'ForAllValues:StringLikeIfExists', base: 'StringLike', qualifier: 'ForAllValues', ifExists: true, key: 'kms:EncryptionContextKeys', values: ['a*', 'b'] },
      { operator: 'NumericLessThan', base: 'NumericLessThan', qualifier: undefined, ifExists: false, key: 'kms:RotationPeriodInDays', values: ['400'] },
      { operator: 'Bool', base: 'Bool', qualifier: undefined, ifExists: false, key: 'kms:GrantIsForAWSResource', values: ['true'] },
    ]);
  });

  it('take a key policy Sid with spaces (as the console writes them), keys of other services, and ${ in a 2008-10-17 policy', () => {
    expect(parsePolicy(key([{ ...allow, Sid: 'Allow access for Key Administrators' }]), 'key').statements[0]?.sid).toBe('Allow access for Key Administrators');
    expect(parsePolicy(key([{ ...allow, Condition: { StringEquals: { 's3:prefix': 'home/', 'aws:SourceVpc': 'vpc-1' } } }]), 'key').statements[0]?.conditions).toHaveLength(2);
    expect(parsePolicy(key([{ ...allow, Condition: { StringEquals: { 'aws:PrincipalArn': '${x}' } } }], { Version: '2008-10-17' }), 'key').version).toBe('2008-10-17');
  });
});
