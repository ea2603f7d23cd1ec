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
