import type { z } from 'zod';
import { KmsError } from '../errors';

/** Describes the first few problems zod found, naming each field by its path. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = issues.length > shown.length ? ` (and ${String(issues.length - shown.length)} more)` : '';
  const count = `${String(issues.length)} validation error${issues.length === 1 ? '' : 's'} detected`;
  return `${count}: ${shown.join('; ')}${more}.`;
}

/** Parses `input` with `schema`; throws ValidationException naming each bad field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new KmsError('ValidationException', describeIssues(result.error.issues));
  return result.data;
}
