import { KmsError } from '../errors';
import { lowerCamel } from './operationNames';

/**
 * How deep a request's JSON may nest. The deepest KMS request nests four
 * levels (a grant's constraints: request, Constraints, a context, its
 * values); this leaves room and still stops a walk of the JSON, or
 * JSON.stringify, from running out of stack on a request nested thousands
 * deep.
 */
export const MAX_REQUEST_DEPTH = 32;

const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** A member of the request, as AWS names it in messages (lower camel case). */
const memberName = (key: string | undefined): string => (key === undefined ? 'request' : lowerCamel(key));

/**
 * Refuses, in one walk without recursion, what a schema would not catch in
 * a request's JSON, whichever door it came through:
 * - keys named `__proto__` anywhere (a schema would drop them silently, from
 *   an encryption context say, which would then bind nothing);
 * - nesting deeper than {@link MAX_REQUEST_DEPTH};
 * - names and strings that are not well-formed Unicode: a lone UTF-16
 *   surrogate becomes U+FFFD in UTF-8, so contexts that differ only there
 *   would encode, and authenticate, as the same one.
 * Messages name the request's member, never a value (values may be secret).
 */
export function checkRequestJson(input: unknown): void {
  const values: unknown[] = [input];
  const depths: number[] = [0];
  const members: (string | undefined)[] = [undefined]; // the top-level member each value is in
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop() ?? 0;
    const member = members.pop();
    if (typeof value === 'string') {
      if (!isWellFormed(value)) throw notWellFormed(member);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_REQUEST_DEPTH) throw new KmsError('ValidationException', `The request nests deeper than ${String(MAX_REQUEST_DEPTH)} levels, which no KMS request does.`);
    if (Object.hasOwn(value, '__proto__')) throw new KmsError('ValidationException', 'Keys named __proto__ are not accepted anywhere in a request.');
    for (const key of Object.keys(value)) {
      const inMember = depth === 0 ? key : member;
      if (!isWellFormed(key)) throw notWellFormed(inMember);
      values.push((value as Record<string, unknown>)[key]);
      depths.push(depth + 1);
      members.push(inMember);
    }
  }
}

function notWellFormed(member: string | undefined): KmsError {
  return new KmsError('ValidationException', `A name or value at '${memberName(member)}' is not well-formed Unicode: it holds a lone UTF-16 surrogate. Give text that is valid Unicode.`);
}
