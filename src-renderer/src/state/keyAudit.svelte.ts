import { call } from '../lib/api';
import { tasks, type Result } from './tasks.svelte';

/** The fields of a CloudTrail-shaped audit record that a key's audit shows. */
export interface KeyAuditRecord {
  strongroomSequence: number;
  eventTime?: string;
  eventName?: string;
  errorCode?: string;
  userIdentity?: { type?: string; arn?: string; invokedBy?: string };
  userAgent?: string;
}

const PAGE = 20;
const DOORS: Record<string, string> = { 'strongroom-app': 'desktop app', 'strongroom-cli': 'CLI', 'strongroom-host': 'browser' };

/** Who acted, in words: the account root, a user's name, or Strongroom itself; and the door they came through. */
export function actorOf(record: KeyAuditRecord): string {
  const identity = record.userIdentity;
  const who = identity?.invokedBy !== undefined ? 'Strongroom' : identity?.arn?.endsWith(':root') === true ? 'account root' : (identity?.arn?.replace(/^arn:aws:iam::\d+:/, '') ?? identity?.type ?? 'unknown');
  const door = record.userAgent === undefined ? undefined : DOORS[record.userAgent];
  return door === undefined ? who : `${who} (${door})`;
}

/** The audit records of one key (by its id), newest first, and when it was last used. */
export class KeyAudit {
  records = $state<KeyAuditRecord[]>([]);
  /** The sequence to ask for older records from, while there are any. */
  older = $state<number | undefined>(undefined);
  /** The newest cryptographic call with this key: undefined until asked, null when none is recorded. */
  lastUse = $state<KeyAuditRecord | null | undefined>(undefined);

  constructor(readonly keyId: string) {}

  /** The newest page, or with `before` the next older one, added below. */
  async load(before?: number): Promise<Result<unknown>> {
    const request = { keyId: this.keyId, limit: PAGE, ...(before === undefined ? {} : { beforeSequence: before }) };
    const result = await tasks.run(before === undefined ? 'key-audit' : 'key-audit-older', () => call('audit:page', request));
    if (result.ok) {
      const rows = result.value.records as unknown as KeyAuditRecord[];
      this.records = before === undefined ? rows : [...this.records, ...rows];
      this.older = result.value.nextBeforeSequence;
    }
    return result;
  }

  /** Looks up the newest cryptographic call (Encrypt, Decrypt, GenerateDataKey…) with this key. */
  async findLastUse(): Promise<Result<unknown>> {
    this.lastUse = undefined;
    const result = await tasks.run('last-use', () => call('audit:page', { keyId: this.keyId, dataPlaneOnly: true, limit: 1 }));
    if (result.ok) this.lastUse = (result.value.records[0] as KeyAuditRecord | undefined) ?? null;
    return result;
  }
}
