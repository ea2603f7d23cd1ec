/**
 * Wildcard matching as IAM does it: `*` stands for any run of characters
 * (none included), `?` for exactly one. Matching walks both strings once,
 * going back only to the last `*` (no regular expressions, so no pattern
 * can make it take exponential time); characters are code points.
 */

function codePoints(value: string): readonly string[] | string {
  return /[\uD800-\uDFFF]/.test(value) ? Array.from(value) : value;
}

/** True when `text` matches `pattern`, case-sensitively. */
export function wildcardMatch(pattern: string, text: string): boolean {
  const p = codePoints(pattern);
  const t = codePoints(text);
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    const c = p[pi];
    if (c === '*') {
      star = pi;
      pi += 1;
      resume = ti;
    } else if (c !== undefined && (c === '?' || c === t[ti])) {
      pi += 1;
      ti += 1;
    } else if (star !== -1) {
      pi = star + 1;
      resume += 1;
      ti = resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi += 1;
  return pi === p.length;
}

/** True when `value` holds a wildcard character. */
export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}

/**
 * ARN matching as ArnLike and ArnEquals do it: both sides split into their
 * six colon-separated parts (the last keeps any further colons), each part
 * matched with wildcards. A value that is not an ARN matches nothing.
 */
export function arnMatch(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const wanted = splitArn(pattern);
  const actual = splitArn(arn);
  if (wanted === undefined || actual === undefined) return false;
  return wanted.every((part, i) => wildcardMatch(part, actual[i] ?? ''));
}

/** The six parts of an ARN (`arn:partition:service:region:account:resource`), or undefined. */
export function splitArn(value: string): readonly string[] | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
