import { detailOf, membersNamed, type ShownError } from '../lib/errors';

/** How a form's field owns the errors of a call: the request members it fills, and words for the errors that concern it. */
export interface FieldRule {
  /** The request members (any case) whose ValidationException belongs to this field. */
  members?: string[];
  /** What a valid value looks like, shown when the core refuses the member. */
  invalid?: string;
  /** Errors of other names that belong to this field, with the words to show (true: the error's own words). */
  errors?: Record<string, string | true>;
}

/** A field's error as its field shows it: words to act on, and the AWS detail. */
export interface FieldError {
  text: string;
  detail: string;
}

// Not reactive itself: it only hands each new Form the values its last screen left.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const drafts = new Map<string, object>();

/** `value` as a deeply reactive object. */
function reactive<V extends object>(value: V): V {
  const state = $state(value);
  return state;
}

/**
 * A form's values and its fields' errors. The values are a draft: they live
 * on when the screen goes (the vault locks, the person looks elsewhere) and
 * come back with it, until the form is done. Never put a secret (plaintext,
 * PIN, key) in a Form: its screen keeps those itself, and they go with it.
 */
export class Form<V extends object> {
  readonly values: V;
  errors = $state<Record<string, FieldError>>({});

  constructor(
    readonly id: string,
    private readonly initial: () => V,
    private readonly rules: Record<string, FieldRule> = {},
  ) {
    const kept = drafts.get(id) as V | undefined;
    this.values = kept ?? reactive(initial());
    drafts.set(id, this.values);
  }

  /** Shows `error` at the field it concerns; false when it concerns none. */
  place(error: ShownError): boolean {
    const members = membersNamed(error);
    for (const [field, rule] of Object.entries(this.rules)) {
      const own = rule.errors?.[error.type];
      const text = members.some((m) => rule.members?.some((r) => r.toLowerCase() === m)) ? (rule.invalid ?? error.text) : own === true ? error.text : own;
      if (text !== undefined) {
        this.errors = { [field]: { text, detail: detailOf(error) } };
        return true;
      }
    }
    return false;
  }

  /** Shows a problem the screen found itself (before any call). */
  set(field: string, text: string): void {
    this.errors = { ...this.errors, [field]: { text, detail: '' } };
  }

  clearErrors(): void {
    if (Object.keys(this.errors).length > 0) this.errors = {};
  }

  /** The form is done: back to its first values, nothing kept. */
  reset(): void {
    Object.assign(this.values, this.initial());
    this.clearErrors();
  }
}
