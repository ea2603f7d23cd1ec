import type { ChannelResponse } from '../../../src-shared/ipc/channels';
import { call } from '../lib/api';
import { tasks } from './tasks.svelte';

/** The fields of a CloudTrail-shaped audit record that the table shows. */
export interface AuditRow {
  strongroomSequence: number;
  eventTime?: string;
  eventName?: string;
  errorCode?: string;
  errorMessage?: string;
  resources?: { ARN: string }[];
}

const PAGE = 50;

/** The audit log as the screen shows it: newest first, 50 at a time, with its chain check. */
class AuditLog {
  records = $state<AuditRow[]>([]);
  older = $state<number | undefined>(undefined);
  eventName = $state('');
  errorsOnly = $state(false);
  verdict = $state<ChannelResponse<'audit:verify'> | undefined>(undefined);

  /** The newest page (or, with `before`, the next older one appended). */
  async load(before?: number): Promise<void> {
    const eventName = this.eventName.trim();
    const request = { limit: PAGE, errorsOnly: this.errorsOnly, ...(before === undefined ? {} : { beforeSequence: before }), ...(eventName === '' ? {} : { eventName }) };
    const result = await tasks.run(before === undefined ? 'audit' : 'audit-older', () => call('audit:page', request));
    if (!result.ok) return;
    const page = result.value;
    const rows = page.records as unknown as AuditRow[];
    this.records = before === undefined ? rows : [...this.records, ...rows];
    this.older = page.nextBeforeSequence;
  }

  async verify(): Promise<void> {
    this.verdict = undefined;
    const result = await tasks.run('verify', () => call('audit:verify', {}));
    if (result.ok) this.verdict = result.value;
  }
}

export const auditLog = new AuditLog();
