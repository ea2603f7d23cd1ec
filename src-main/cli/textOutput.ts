/**
 * The AWS CLI's `--output text`: values separated by tabs, one line per
 * object or list of values.
 * - A scalar is written as itself (true, false and null as `True`, `False`,
 *   `None`).
 * - A list of scalars is one line.
 * - An object is one line of its scalar members, in the order of their names,
 *   headed by the name it is under (upper-cased) when it is nested, and then
 *   each of its lists and objects under its own name.
 * - A list of objects is one line per object, each with the scalar members
 *   that any of them has (empty where one lacks it).
 * - A list of lists is one line per inner list.
 */

type Value = unknown;

function isNested(value: Value): value is object {
  return value !== null && typeof value === 'object';
}

function scalarText(value: Value): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value); // a member that is a value in one object of a list and nested in another
}

function objectLines(object: Record<string, Value>, name: string | undefined, scalarNames: string[] | undefined, out: string[]): void {
  const names = Object.keys(object).sort();
  const scalars = scalarNames ?? names.filter((key) => !isNested(object[key]));
  const row = scalars.map((key) => (key in object ? scalarText(object[key]) : ''));
  if (row.length > 0) out.push((name === undefined ? row : [name.toUpperCase(), ...row]).join('\t'));
  for (const key of names) if (!scalars.includes(key)) valueLines(object[key], key, undefined, out);
}

function listLines(list: Value[], name: string | undefined, out: string[]): void {
  if (list.length === 0) return;
  if (list.some((item) => isNested(item) && !Array.isArray(item))) {
    const scalarNames = [...new Set(list.flatMap((item) => (isNested(item) && !Array.isArray(item) ? Object.keys(item).filter((key) => !isNested((item as Record<string, Value>)[key])) : [])))].sort();
    for (const item of list) valueLines(item, name, scalarNames, out);
    return;
  }
  const scalars = list.filter((item) => !isNested(item));
  if (scalars.length > 0) {
    if (name === undefined) out.push(scalars.map(scalarText).join('\t'));
    else for (const item of scalars) out.push(`${name.toUpperCase()}\t${scalarText(item)}`);
  }
  for (const item of list) if (isNested(item)) valueLines(item, name, undefined, out);
}

function valueLines(value: Value, name: string | undefined, scalarNames: string[] | undefined, out: string[]): void {
  if (Array.isArray(value)) listLines(value as Value[], name, out);
  else if (isNested(value)) objectLines(value as Record<string, Value>, name, scalarNames, out);
  else out.push(scalarText(value));
}

/** `value` in the AWS CLI's text output format, one string per line. */
export function textLines(value: Value): string[] {
  const out: string[] = [];
  valueLines(value, undefined, undefined, out);
  return out;
}
