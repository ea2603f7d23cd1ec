// The audit screen's filtered pages on a long log: how long one page of 50 takes for each filter.
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { invoke } from '../../src-main/kms/pipeline/invoke';
import type { Caller } from '../../src-shared/caller';

const PAGE = 50;

/** Milliseconds one call of `fn` takes, the median of `runs`. */
function medianMs(fn: () => unknown, runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0;
}

/**
 * Tops the vault's audit log up to `records` (Encrypt and DescribeKey under
 * twenty keys, one failure in a thousand, an outsider's refused call in five
 * thousand, one key used once at the very start), then prints how long a
 * LookupEvents page of 50 takes under each filter.
 */
export function benchAuditFilters(vault: Vault, caller: Caller, records: number): void {
  const kms = (name: string, request: unknown): unknown => invoke(vault, caller, name as never, request);
  const keyId = (): string => (kms('CreateKey', {}) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  const rare = keyId();
  kms('Encrypt', { KeyId: rare, Plaintext: 'AAAA' });
  const keys = Array.from({ length: 20 }, keyId);
  const accountId = vault.record.accountId;
  const outsider: Caller = { principal: { type: 'User', accountId, arn: `arn:aws:iam::${accountId}:user/Mallory` }, door: 'host' };
  const count = (): number => (vault.db.prepare('SELECT max(seq) FROM audit').pluck().get() as number | null) ?? 0;
  vault.audit.flush();
  for (let i = count(); i < records; i += 1) {
    const key = keys[i % keys.length] ?? '';
    try {
      if (i % 1000 === 7) kms('Encrypt', { KeyId: 'alias/missing', Plaintext: 'AA==' });
      else if (i % 5000 === 9) invoke(vault, outsider, 'DescribeKey', { KeyId: key });
      else if (i % 3 === 0) kms('DescribeKey', { KeyId: key });
      else kms('Encrypt', { KeyId: key, Plaintext: 'AAAA' });
    } catch {
      // the failures and refusals are meant
    }
  }
  vault.audit.flush();
  const oldest = Date.parse((kms('LookupEvents', { limit: 1, beforeSequence: 2 }) as { records: { eventTime: string }[] }).records[0]?.eventTime ?? '') / 1000;
  const cases: [string, Record<string, unknown>][] = [
    ['no filter', {}],
    ['event name prefix "enc"', { eventName: 'enc' }],
    ['event name matching nothing ("createal")', { eventName: 'createal' }],
    ['a busy key', { keyId: keys[0] }],
    ['a key used once, long ago', { keyId: rare }],
    ['its last cryptographic use', { keyId: rare, dataPlaneOnly: true, limit: 1 }],
    ['errors only', { errorsOnly: true }],
    ['principal "mallory"', { principal: 'mallory' }],
    ['time range at the oldest end', { endTime: oldest }],
    ['key + errors only', { keyId: keys[3], errorsOnly: true }],
    ['principal + event name', { principal: 'mallory', eventName: 'desc' }],
  ];
  console.log(`\nAudit log of ${count().toLocaleString('en')} records, LookupEvents page of ${String(PAGE)} (median of 5):`);
  for (const [label, filters] of cases) {
    const ms = medianMs(() => kms('LookupEvents', { limit: PAGE, ...filters }));
    console.log(`${label.padEnd(40)} ${ms.toFixed(1).padStart(7)} ms`);
  }
}
