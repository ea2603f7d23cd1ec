/**
 * What JSON.parse hides: a member named twice in one object (JSON.parse
 * keeps the last, while a person or another tool may read the first) and a
 * member named `__proto__` (copying it into an object sets the prototype
 * instead, so it would vanish). A policy with either is refused.
 */

/** A member that makes a JSON text ambiguous: where it is and why. */
export interface AmbiguousMember {
  /** Object members and array indexes from the top down to the member. */
  readonly path: readonly (string | number)[];
  readonly problem: 'repeated' | 'proto';
}

type Frame = { kind: 'object'; keys: Set<string>; key: string | undefined; expectKey: boolean } | { kind: 'array'; index: number };

function pathOf(stack: readonly Frame[]): (string | number)[] {
  return stack.map((frame) => (frame.kind === 'array' ? frame.index : (frame.key ?? '')));
}

/** Finds the first repeated or `__proto__` member of `text`, which must already be valid JSON. */
export function findAmbiguousMember(text: string): AmbiguousMember | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top?.kind === 'object' && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        top.key = key;
        top.expectKey = false;
        if (key === '__proto__') return { path: pathOf(stack), problem: 'proto' };
        if (top.keys.has(key)) return { path: pathOf(stack), problem: 'repeated' };
        top.keys.add(key);
      }
      i = end;
    } else if (c === '{') {
      stack.push({ kind: 'object', keys: new Set(), key: undefined, expectKey: true });
    } else if (c === '[') {
      stack.push({ kind: 'array', index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      if (top?.kind === 'object') top.expectKey = true;
      else if (top !== undefined) top.index += 1;
    }
  }
  return undefined;
}
