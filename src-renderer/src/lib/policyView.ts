import { diffLines } from 'diff';

/**
 * A key policy as a person reads it before saving: whether it is JSON at
 * all (where not, and why), each statement in words, and what changes from
 * the policy in force. The core checks the policy in full when it is saved
 * (MalformedPolicyDocumentException names the problem and where); this is
 * for reading, not for deciding.
 */

/** One statement in words. */
export interface StatementView {
  readonly label: string;
  readonly effect: string;
  readonly who: string;
  readonly what: string;
  readonly on: string;
  readonly when: readonly string[];
}

export type PolicyReading = { readonly ok: true; readonly statements: readonly StatementView[] } | { readonly ok: false; readonly problem: string };

/** A member that holds one value or a list, as text (anything else as its JSON). */
const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(text) : value === undefined ? [] : [text(value)]);

/** Who a Principal names, in words: anyone, an account (its root, and its users as their policies say), or principals by ARN. */
function principals(value: unknown): string {
  if (value === '*') return 'anyone';
  if (typeof value !== 'object' || value === null) return text(value);
  return Object.entries(value as Record<string, unknown>)
    .flatMap(([kind, names]) =>
      list(names).map((name) => {
        if (name === '*') return 'anyone';
        const account = /^(?:arn:aws:iam::)?(\d{12})(?::root)?$/.exec(name)?.[1];
        if (account !== undefined) return `account ${account} (its root, and its users as their policies allow)`;
        return kind === 'AWS' ? name : `${kind} ${name}`;
      }),
    )
    .join(', ');
}

/** The conditions of a statement, one line per key: `kms:EncryptionContext:dept StringEquals finance`. */
function conditions(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([operator, keys]) =>
    typeof keys === 'object' && keys !== null ? Object.entries(keys as Record<string, unknown>).map(([key, values]) => `${key} ${operator} ${list(values).join(' or ')}`) : [],
  );
}

/** A statement object in words; missing members read as the core would refuse them. */
function statementView(raw: unknown, index: number): StatementView {
  const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const sid = typeof s.Sid === 'string' && s.Sid !== '' ? ` (${s.Sid})` : '';
  const negated = (plain: string, not: string, words: string): string => (s[plain] !== undefined ? list(s[plain]).join(', ') : s[not] !== undefined ? `everything but ${list(s[not]).join(', ')}` : words);
  return {
    label: `Statement ${String(index)}${sid}`,
    effect: s.Effect === 'Deny' ? 'Denies' : s.Effect === 'Allow' ? 'Allows' : 'Neither allows nor denies (Effect is missing)',
    who: s.Principal !== undefined ? principals(s.Principal) : s.NotPrincipal !== undefined ? `everyone but ${principals(s.NotPrincipal)}` : 'no one (Principal is missing)',
    what: negated('Action', 'NotAction', 'nothing (Action is missing)'),
    on: negated('Resource', 'NotResource', 'nothing (Resource is missing)').replace(/^\*$/, 'this key'),
    when: conditions(s.Condition),
  };
}

/** Reads policy text: its statements in words, or why it is not a policy document at all. */
export function readPolicy(text: string): PolicyReading {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `This is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problem: 'A policy is a JSON object with Version and Statement.' };
  const statement = (parsed as Record<string, unknown>).Statement;
  if (statement === undefined) return { ok: false, problem: 'The policy has no Statement.' };
  return { ok: true, statements: (Array.isArray(statement) ? statement : [statement]).map(statementView) };
}

/** A line of a change: kept, added or removed. */
export interface ChangedLine {
  readonly kind: 'same' | 'added' | 'removed';
  readonly text: string;
}

/** The lines that change from `before` to `after`, each with its kind, in order. */
export function policyDiff(before: string, after: string): ChangedLine[] {
  return diffLines(before, after).flatMap((part) => {
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    return part.value.replace(/\n$/, '').split('\n').map((text) => ({ kind, text }) as const);
  });
}
