/** A CloudTrail-shaped audit record as LookupEvents returns it: the fields the audit screen reads. */
export interface AuditRow {
  strongroomSequence: number;
  eventTime?: string;
  eventName?: string;
  errorCode?: string;
  errorMessage?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  userIdentity?: { type?: string; arn?: string; invokedBy?: string; accessKeyId?: string };
  resources?: { ARN: string }[];
}

/** The audit screen's filters as the person typed them (a form draft: no secret in it). */
export interface AuditFilterValues {
  eventName: string;
  keyId: string;
  principal: string;
  /** datetime-local values, in the person's time zone. */
  from: string;
  to: string;
  errorsOnly: boolean;
}

/** LookupEvents' filters. */
export interface AuditFilters {
  eventName?: string;
  keyId?: string;
  principal?: string;
  startTime?: number;
  endTime?: number;
  errorsOnly?: boolean;
}

export const NO_FILTERS: AuditFilterValues = { eventName: '', keyId: '', principal: '', from: '', to: '', errorsOnly: false };

/** Epoch seconds of a datetime-local value (the person's time zone); undefined when empty or not a date. */
function seconds(local: string): number | undefined {
  const ms = local === '' ? NaN : new Date(local).getTime();
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/**
 * The LookupEvents filters the values ask for, or the field that is wrong and
 * why. The end is a whole minute, included: up to its 59th second.
 */
export function auditFilters(values: AuditFilterValues): { filters: AuditFilters } | { field: keyof AuditFilterValues; problem: string } {
  const start = seconds(values.from);
  const end = seconds(values.to);
  if (values.from !== '' && start === undefined) return { field: 'from', problem: 'Give a date and time, or leave it empty.' };
  if (values.to !== '' && end === undefined) return { field: 'to', problem: 'Give a date and time, or leave it empty.' };
  if (start !== undefined && end !== undefined && end + 59 < start) return { field: 'to', problem: 'The end comes before the start: swap them.' };
  const text = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
  const filters: AuditFilters = {};
  const eventName = text(values.eventName);
  const keyId = text(values.keyId);
  const principal = text(values.principal);
  if (eventName !== undefined) filters.eventName = eventName;
  if (keyId !== undefined) filters.keyId = keyId;
  if (principal !== undefined) filters.principal = principal;
  if (start !== undefined) filters.startTime = start;
  if (end !== undefined) filters.endTime = end + 59;
  if (values.errorsOnly) filters.errorsOnly = true;
  return { filters };
}

/** The filters in words for a file name: `event-enc_key-alias-payroll_errors`, or `all`. */
export function filtersInName(filters: AuditFilters): string {
  const part = (name: string, value: string): string => `${name}-${value.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40)}`;
  const iso = (s: number): string => new Date(s * 1000).toISOString().slice(0, 16).replace(':', '');
  const parts = [
    filters.eventName === undefined ? '' : part('event', filters.eventName),
    filters.keyId === undefined ? '' : part('key', filters.keyId),
    filters.principal === undefined ? '' : part('principal', filters.principal),
    filters.startTime === undefined ? '' : `from-${iso(filters.startTime)}`,
    filters.endTime === undefined ? '' : `to-${iso(filters.endTime)}`,
    filters.errorsOnly === true ? 'errors' : '',
  ].filter((p) => p !== '');
  return parts.length === 0 ? 'all' : parts.join('_');
}

/** Who acted, short: `account root`, `user/Ana`, `Strongroom itself`, `unknown (access key AKIA…)` for a refused access key, or `unknown (vault locked)`. */
export function who(row: AuditRow): string {
  const identity = row.userIdentity ?? {};
  if (identity.invokedBy !== undefined) return 'Strongroom itself';
  if (identity.type === 'Unknown' && identity.accessKeyId !== undefined) return `unknown (access key ${identity.accessKeyId})`;
  if (identity.type === 'Unknown' || identity.arn === undefined) return 'unknown (vault locked)';
  const resource = identity.arn.split(':').slice(5).join(':');
  return resource === 'root' ? 'account root' : resource === '' ? identity.arn : resource;
}

/** Which door the call came through: desktop, CLI, host, Strongroom itself, or the network client's own name. */
export function door(row: AuditRow): string {
  const agent = row.userAgent ?? '';
  if (agent === 'AWS Internal') return 'on its own';
  if (agent.startsWith('strongroom-cli-via-')) return `CLI via ${agent.slice('strongroom-cli-via-'.length) === 'app' ? 'desktop' : 'host'}`;
  if (agent.startsWith('strongroom-cli')) return 'CLI';
  if (agent === 'strongroom-app') return 'desktop';
  if (agent === 'strongroom-host') return 'host';
  return `network: ${agent.slice(0, 60)}${row.sourceIPAddress === undefined || row.sourceIPAddress === agent ? '' : ` from ${row.sourceIPAddress}`}`;
}

/** The keys and aliases the record names, each as its alias where the vault has one (`alias/payroll`), else its id. */
export function targets(row: AuditRow, aliasesOf: ReadonlyMap<string, string[]>): string[] {
  return (row.resources ?? []).map(({ ARN }) => {
    const [kind, ...rest] = ARN.split(':').slice(5).join(':').split('/');
    const id = rest.join('/');
    if (kind === 'alias') return `alias/${id}`;
    const alias = aliasesOf.get(id)?.[0];
    return alias === undefined ? id : `${alias} (${id.slice(0, 8)}…)`;
  });
}

/** OK, or the error code. */
export function result(row: AuditRow): string {
  return row.errorCode ?? 'OK';
}

/** The time in the person's locale, to the second. */
export function when(row: AuditRow): string {
  return row.eventTime === undefined ? '' : new Date(row.eventTime).toLocaleString();
}
