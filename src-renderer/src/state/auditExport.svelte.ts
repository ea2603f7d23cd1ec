import { call } from '../lib/api';
import { filtersInName, type AuditFilters } from '../lib/auditView';
import { notices } from './notices.svelte';
import { tasks, type Result } from './tasks.svelte';

/** Records per LookupEvents call while exporting: its largest page. */
const PAGE = 500;

/** An export ready to save: its file name and its CloudTrail-shaped JSON, in parts (a long log would make one string too large). */
export interface AuditFile {
  name: string;
  parts: string[];
}

/**
 * Export of the audit screen's filtered view: every record the filters
 * find, newest first, page by page, with how far it has come, until done or
 * cancelled.
 */
class AuditExport {
  /** Records read so far, while an export runs. */
  count = $state(0);
  /** The time of the oldest record read so far. */
  reached = $state<string | undefined>(undefined);
  running = $state(false);
  private cancelled = false;

  /** Reads every record `filters` find; undefined when cancelled. */
  async run(filters: AuditFilters): Promise<Result<AuditFile | undefined>> {
    this.cancelled = false;
    this.running = true;
    this.count = 0;
    this.reached = undefined;
    const started = new Date();
    try {
      return await tasks.run('audit-export', async () => {
        const pages: string[] = [];
        let before: number | undefined;
        do {
          const page = await call('audit:page', { limit: PAGE, ...filters, ...(before === undefined ? {} : { beforeSequence: before }) });
          if (this.cancelled) {
            notices.info('Export cancelled: nothing was saved.', 'audit-export');
            return undefined;
          }
          if (page.records.length > 0) pages.push(page.records.map((record) => JSON.stringify(record)).join(','));
          this.count += page.records.length;
          const oldest = page.records.at(-1)?.eventTime;
          if (typeof oldest === 'string') this.reached = oldest;
          before = page.nextBeforeSequence;
        } while (before !== undefined);
        const stamp = started.toISOString().slice(0, 19).replaceAll(':', '');
        const header = JSON.stringify({ filters, exportedAt: started.toISOString(), records: this.count });
        return { name: `strongroom-audit_${filtersInName(filters)}_${stamp}.json`, parts: [`{"strongroomExport":${header},"Records":[`, ...pages.flatMap((page, i) => (i === 0 ? [page] : [',', page])), ']}'] };
      });
    } finally {
      this.running = false;
    }
  }

  /** Stops the export after the page it is reading; nothing is saved. */
  cancel(): void {
    this.cancelled = true;
  }
}

export const auditExport = new AuditExport();
