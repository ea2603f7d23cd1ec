import type { ChannelResponse } from '../../../src-shared/ipc/channels';
import { call, kms } from '../lib/api';
import { auditFilters, NO_FILTERS, type AuditFilters, type AuditFilterValues, type AuditRow } from '../lib/auditView';
import { Form } from './form.svelte';
import { tasks } from './tasks.svelte';

export type Verdict = ChannelResponse<'audit:verify'>;

const PAGE = 50;

/**
 * The audit screen: the filters (a form draft, kept across lock and
 * unlock), the records they find, newest first, 50 at a time, the record
 * whose detail is open, the aliases of the vault's keys, and the chain's
 * verdict.
 */
class AuditScreen {
  readonly form = new Form<AuditFilterValues>('audit-filters', () => ({ ...NO_FILTERS }), {
    eventName: { members: ['eventName'], invalid: 'The start of an event name, at most 64 characters: Encrypt, create, gen…' },
    keyId: { members: ['keyId'], invalid: 'A key id, key ARN or alias name (alias/…).', errors: { NotFoundException: 'This vault has no such alias. Give a key id, a key ARN or an existing alias name.' } },
    principal: { members: ['principal'], invalid: "Part of a caller's ARN, at most 2048 characters: user/ana, :root…" },
    from: { members: ['startTime'] },
    to: { members: ['endTime'] },
  });
  records = $state<AuditRow[]>([]);
  older = $state<number | undefined>(undefined);
  /** The filters of the records shown (what an export writes). */
  shown = $state<AuditFilters>({});
  /** The sequence number of the record whose detail is open. */
  selected = $state<number | undefined>(undefined);
  /** Alias names by key id. */
  aliases = $state<ReadonlyMap<string, string[]>>(new Map());
  verdict = $state<Verdict | undefined>(undefined);

  get selectedRow(): AuditRow | undefined {
    return this.records.find((r) => r.strongroomSequence === this.selected);
  }

  /** The newest page under the form's filters. */
  async load(): Promise<void> {
    const asked = auditFilters(this.form.values);
    if ('problem' in asked) {
      this.form.clearErrors();
      this.form.set(asked.field, asked.problem);
      return;
    }
    const result = await tasks.run('audit', () => call('audit:page', { limit: PAGE, ...asked.filters }), this.form);
    if (!result.ok) return;
    this.shown = asked.filters;
    this.records = result.value.records as unknown as AuditRow[];
    this.older = result.value.nextBeforeSequence;
    if (this.selectedRow === undefined) this.selected = undefined;
  }

  /** The next older page under the same filters, after the rows shown. */
  async more(): Promise<void> {
    if (this.older === undefined) return;
    const result = await tasks.run('audit-older', () => call('audit:page', { limit: PAGE, ...this.shown, beforeSequence: this.older }));
    if (!result.ok) return;
    this.records = [...this.records, ...(result.value.records as unknown as AuditRow[])];
    this.older = result.value.nextBeforeSequence;
  }

  /** Back to every record. */
  async clear(): Promise<void> {
    this.form.reset();
    await this.load();
  }

  /** Reads the vault's aliases, to name keys by them. */
  async loadAliases(): Promise<void> {
    const result = await tasks.run('audit-aliases', async () => {
      // Built here, then handed to the state whole.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const byKey = new Map<string, string[]>();
      let marker: string | undefined;
      do {
        const page = await kms('ListAliases', { Limit: 100, ...(marker === undefined ? {} : { Marker: marker }) });
        for (const alias of page.Aliases ?? []) {
          if (alias.TargetKeyId !== undefined && alias.AliasName !== undefined) byKey.set(alias.TargetKeyId, [...(byKey.get(alias.TargetKeyId) ?? []), alias.AliasName]);
        }
        marker = page.Truncated === true ? page.NextMarker : undefined;
      } while (marker !== undefined);
      return byKey;
    });
    if (result.ok) this.aliases = result.value;
  }

  async verify(): Promise<void> {
    this.verdict = undefined;
    const result = await tasks.run('verify', () => call('audit:verify', {}));
    if (result.ok) this.verdict = result.value;
  }
}

export const audit = new AuditScreen();
