import type { z } from 'zod';
import { KmsError } from '../errors';
import { lowerCamel } from './operationNames';
import { defOf, type SchemaDef } from './schemaDef';

/**
 * A member's path in a request of `schema`, as AWS names it: member names in
 * lower camel case, list items counted from 1 (`tags.1.member.tagKey`), a
 * map's keys as the caller wrote them; `request` for the request itself.
 */
function memberPath(schema: z.ZodType, path: readonly PropertyKey[]): string {
  let def: SchemaDef | undefined = defOf(schema);
  const parts: string[] = [];
  for (const part of path) {
    const name = String(part);
    let inner: unknown;
    if (def?.type === 'array') {
      parts.push(`${String(Number(part) + 1)}.member`);
      inner = def.element;
    } else if (def?.type === 'record') {
      parts.push(name);
      inner = def.valueType;
    } else {
      parts.push(lowerCamel(name));
      inner = def?.type === 'object' ? def.shape?.[name] : undefined;
    }
    def = inner === undefined ? undefined : defOf(inner);
  }
  return parts.length === 0 ? 'request' : parts.join('.');
}

/** The model's pattern behind a generated regular expression (the generator wraps each as `^(?:pattern)$`). */
function modelPattern(pattern: string): string {
  return pattern.replace(/^\/\^\(\?:(.*)\)\$\/$/s, '$1');
}

/** The value at `path` in `input`, or undefined where there is none. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) value = value !== null && typeof value === 'object' && Object.hasOwn(value, part) ? (value as Record<PropertyKey, unknown>)[part] : undefined;
  return value;
}

/** What a member of `input` failed to satisfy, in the AWS model's words. */
function constraint(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'too_big':
      return `Member must have ${issue.origin === 'number' ? 'value' : 'length'} less than or equal to ${String(issue.maximum)}`;
    case 'too_small':
      return `Member must have ${issue.origin === 'number' ? 'value' : 'length'} greater than or equal to ${String(issue.minimum)}`;
    case 'invalid_value':
      return `Member must satisfy enum value set: [${issue.values.map(String).join(', ')}]`;
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern !== undefined ? `Member must satisfy regular expression pattern: ${modelPattern(issue.pattern)}` : issue.message;
    case 'invalid_type':
      return (valueAt(input, issue.path) ?? null) === null ? 'Member must not be null' : `Member must be of type ${issue.expected}`;
    default:
      return issue.message; // custom checks (blobs) are worded as constraints already
  }
}

/**
 * One problem as AWS words it, without the value: values may hold secrets,
 * and the message reaches the audit log (AWS too leaves out the value of a
 * sensitive member such as Plaintext).
 */
function describeIssue(schema: z.ZodType, issue: z.core.$ZodIssue, input: unknown): string {
  const path = memberPath(schema, issue.path);
  if (issue.code === 'unrecognized_keys') {
    const more = issue.keys.length > 20 ? ` and ${String(issue.keys.length - 20)} more` : '';
    return `Unknown member${issue.keys.length === 1 ? '' : 's'} at '${path}': ${issue.keys.slice(0, 20).join(', ')}${more}`;
  }
  return `Value at '${path}' failed to satisfy constraint: ${constraint(issue, input)}`;
}

/** The first few problems zod found, as AWS's ValidationException words them: `1 validation error detected: Value at 'keyId' failed to satisfy constraint: …`. */
function describeIssues(schema: z.ZodType, issues: readonly z.core.$ZodIssue[], input: unknown): string {
  const shown = issues.slice(0, 5).map((issue) => describeIssue(schema, issue, input));
  const more = issues.length > shown.length ? ` (and ${String(issues.length - shown.length)} more)` : '';
  const count = `${String(issues.length)} validation error${issues.length === 1 ? '' : 's'} detected`;
  return `${count}: ${shown.join('; ')}${more}`;
}

/** Parses `input` with `schema`; throws ValidationException naming each bad member. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input); // without options: zod takes its compiled path, five times quicker
  if (!result.success) throw new KmsError('ValidationException', describeIssues(schema, result.error.issues, input));
  return result.data;
}
