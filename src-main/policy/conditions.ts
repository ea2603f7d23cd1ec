/**
 * Condition operators: reading an operator's name, checking the values a
 * policy gives it, and deciding one condition against the request context.
 *
 * As IAM documents it: a key missing from the request makes a condition
 * false, except for the negated operators (StringNotEquals, ArnNotLike …),
 * which are then true; `…IfExists` is true when the key is missing;
 * ForAllValues is true on a missing or empty set and ForAnyValue false.
 * Several values for one key are alternatives (OR); for a negated operator
 * none may match (NOR). A plain operator on a key with several values holds
 * when any value matches (a negated one: when none does).
 */
import { BASE_OPERATORS, type BaseOperator, type Condition } from './document';
import type { ConditionContext } from './requestContext';
import { arnMatch, wildcardMatch } from './wildcard';

type Family = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Arn' | 'Null';

interface OperatorRule {
  readonly family: Family;
  readonly negated: boolean;
  /** Does the request's value match the policy's value (before negation)? */
  readonly test: (requestValue: string, policyValue: string) => boolean;
}

const numeric = (compare: (a: number, b: number) => boolean) => (r: string, p: string) => {
  const a = parseNumber(r);
  const b = parseNumber(p);
  return a !== undefined && b !== undefined && compare(a, b);
};
const date = (compare: (a: number, b: number) => boolean) => (r: string, p: string) => {
  const a = parseDate(r);
  const b = parseDate(p);
  return a !== undefined && b !== undefined && compare(a, b);
};
const equals = (r: string, p: string) => r === p;
const equalsIgnoreCase = (r: string, p: string) => r.toLowerCase() === p.toLowerCase();
const like = (r: string, p: string) => wildcardMatch(p, r);
const arn = (r: string, p: string) => arnMatch(p, r);

const RULES: Readonly<Record<BaseOperator, OperatorRule>> = {
  StringEquals: { family: 'String', negated: false, test: equals },
  StringNotEquals: { family: 'String', negated: true, test: equals },
  StringEqualsIgnoreCase: { family: 'String', negated: false, test: equalsIgnoreCase },
  StringNotEqualsIgnoreCase: { family: 'String', negated: true, test: equalsIgnoreCase },
  StringLike: { family: 'String', negated: false, test: like },
  StringNotLike: { family: 'String', negated: true, test: like },
  NumericEquals: { family: 'Numeric', negated: false, test: numeric((a, b) => a === b) },
  NumericNotEquals: { family: 'Numeric', negated: true, test: numeric((a, b) => a === b) },
  NumericLessThan: { family: 'Numeric', negated: false, test: numeric((a, b) => a < b) },
  NumericLessThanEquals: { family: 'Numeric', negated: false, test: numeric((a, b) => a <= b) },
  NumericGreaterThan: { family: 'Numeric', negated: false, test: numeric((a, b) => a > b) },
  NumericGreaterThanEquals: { family: 'Numeric', negated: false, test: numeric((a, b) => a >= b) },
  DateEquals: { family: 'Date', negated: false, test: date((a, b) => a === b) },
  DateNotEquals: { family: 'Date', negated: true, test: date((a, b) => a === b) },
  DateLessThan: { family: 'Date', negated: false, test: date((a, b) => a < b) },
  DateLessThanEquals: { family: 'Date', negated: false, test: date((a, b) => a <= b) },
  DateGreaterThan: { family: 'Date', negated: false, test: date((a, b) => a > b) },
  DateGreaterThanEquals: { family: 'Date', negated: false, test: date((a, b) => a >= b) },
  Bool: { family: 'Bool', negated: false, test: equalsIgnoreCase },
  ArnEquals: { family: 'Arn', negated: false, test: arn },
  ArnLike: { family: 'Arn', negated: false, test: arn },
  ArnNotEquals: { family: 'Arn', negated: true, test: arn },
  ArnNotLike: { family: 'Arn', negated: true, test: arn },
  Null: { family: 'Null', negated: false, test: equalsIgnoreCase },
};

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const EPOCH = /^\d{1,15}$/;

/** A decimal number as Numeric* conditions take it, or undefined. */
export function parseNumber(value: string): number | undefined {
  return NUMBER.test(value) ? Number(value) : undefined;
}

/** Milliseconds since the epoch of an ISO 8601 date (or a number of seconds since the epoch), or undefined. */
export function parseDate(value: string): number | undefined {
  if (EPOCH.test(value)) return Number(value) * 1000;
  if (!ISO_DATE.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An operator's parts, or a sentence saying what is wrong with its name. */
export type ParsedOperator = { base: BaseOperator; qualifier: Condition['qualifier']; ifExists: boolean } | { problem: string };

/** Reads `ForAnyValue:StringLikeIfExists` into its parts. */
export function parseOperator(name: string): ParsedOperator {
  const match = /^(?:(ForAnyValue|ForAllValues):)?(.*?)(IfExists)?$/.exec(name);
  const base = match?.[2] ?? '';
  const qualifier = match?.[1] as Condition['qualifier'];
  const ifExists = match?.[3] !== undefined;
  if (!(BASE_OPERATORS as readonly string[]).includes(base)) {
    const near = BASE_OPERATORS.find((op) => op.toLowerCase() === base.toLowerCase() || `${op}IfExists`.toLowerCase() === name.toLowerCase());
    const hint = near === undefined ? ` Use one of ${BASE_OPERATORS.join(', ')}, with IfExists or a ForAnyValue:/ForAllValues: prefix where needed.` : ` Operator names are case-sensitive: did you mean ${near}?`;
    return { problem: `Invalid Condition type : ${name}.${hint}` };
  }
  const op = base as BaseOperator;
  if (op === 'Null' && (ifExists || qualifier !== undefined)) return { problem: `Invalid Condition type : ${name}. Null takes neither IfExists nor ForAnyValue:/ForAllValues:.` };
  return { base: op, qualifier, ifExists };
}

/** A sentence saying why `value` cannot be given to `base`, or undefined when it can. */
export function valueProblem(base: BaseOperator, value: string): string | undefined {
  switch (RULES[base].family) {
    case 'Numeric':
      return parseNumber(value) === undefined ? `${base} compares numbers, and "${value}" is not a number.` : undefined;
    case 'Date':
      return parseDate(value) === undefined ? `${base} compares dates, and "${value}" is neither an ISO 8601 date (2026-01-31T12:00:00Z) nor seconds since 1970.` : undefined;
    case 'Bool':
    case 'Null':
      return /^(true|false)$/i.test(value) ? undefined : `${base} takes "true" or "false", not "${value}".`;
    case 'String':
    case 'Arn':
      return undefined;
  }
}

/** True when `condition` holds for the request context. */
export function conditionHolds(condition: Condition, context: ConditionContext): boolean {
  const found = context.get(condition.key.toLowerCase());
  const present = found !== undefined && found.length > 0 ? found : undefined;
  if (condition.base === 'Null') {
    return condition.values.some((v) => (v.toLowerCase() === 'true') === (present === undefined));
  }
  if (present === undefined) {
    if (condition.ifExists || condition.qualifier === 'ForAllValues') return true;
    if (condition.qualifier === 'ForAnyValue') return false;
    return RULES[condition.base].negated;
  }
  const rule = RULES[condition.base];
  const matchesOne = (requestValue: string) => {
    const any = condition.values.some((policyValue) => rule.test(requestValue, policyValue));
    return rule.negated ? !any : any;
  };
  switch (condition.qualifier) {
    case 'ForAllValues':
      return present.every(matchesOne);
    case 'ForAnyValue':
      return present.some(matchesOne);
    case undefined:
      return rule.negated ? present.every(matchesOne) : present.some(matchesOne);
  }
}
