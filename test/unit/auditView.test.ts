// The audit screen's reading of its filters and of records (src-renderer/src/lib/auditView.ts).
import { describe, expect, it } from 'vitest';
import { auditFilters, door, filtersInName, NO_FILTERS, targets, who, type AuditRow } from '../../src-renderer/src/lib/auditView';

const local = (value: string): number => new Date(value).getTime() / 1000;

describe('the audit filters', () => {
  it('ask for nothing when empty, and trim what was typed', () => {
    expect(auditFilters(NO_FILTERS)).toEqual({ filters: {} });
    expect(auditFilters({ ...NO_FILTERS, eventName: ' enc ', keyId: 'alias/payroll', principal: ' user/ana', errorsOnly: true })).toEqual({
      filters: { eventName: 'enc', keyId: 'alias/payroll', principal: 'user/ana', errorsOnly: true },
    });
  });

  it('take the time range in the local time zone, the end minute included to its last second', () => {
    expect(auditFilters({ ...NO_FILTERS, from: '2026-01-15T09:30', to: '2026-01-15T09:30' })).toEqual({ filters: { startTime: local('2026-01-15T09:30'), endTime: local('2026-01-15T09:30') + 59 } });
  });

  it('name the field that is wrong', () => {
    expect(auditFilters({ ...NO_FILTERS, from: '2026-01-15T10:00', to: '2026-01-15T09:59' })).toEqual({ field: 'to', problem: 'The end comes before the start: swap them.' });
    expect(auditFilters({ ...NO_FILTERS, from: 'not a date' })).toMatchObject({ field: 'from' });
  });

  it('are written in an export file name with nothing a file system refuses', () => {
    expect(filtersInName({})).toBe('all');
    expect(filtersInName({ eventName: 'Enc', keyId: 'arn:aws:kms:local:1:alias/pay roll', errorsOnly: true, startTime: 0 })).toBe('event-Enc_key-arn-aws-kms-local-1-alias-pay-roll_from-1970-01-01T0000_errors');
  });
});

describe('an audit record', () => {
  const row = (fields: Partial<AuditRow>): AuditRow => ({ strongroomSequence: 1, ...fields });

  it('says who acted, and through which door', () => {
    expect(who(row({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' } }))).toBe('account root');
    expect(who(row({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/Ana', accessKeyId: 'AKIA2345ABCDEFGHIJKL' } }))).toBe('user/Ana');
    expect(who(row({ userIdentity: { invokedBy: 'AWS Internal' } }))).toBe('Strongroom itself');
    expect(who(row({ userIdentity: { type: 'Unknown' } }))).toBe('unknown (vault locked)');
    expect(who(row({ userIdentity: { type: 'Unknown', accessKeyId: 'AKIA2345ABCDEFGHIJKL' } }))).toBe('unknown (access key AKIA2345ABCDEFGHIJKL)');
    expect(['strongroom-app', 'strongroom-cli', 'strongroom-host', 'strongroom-cli-via-app', 'AWS Internal'].map((userAgent) => door(row({ userAgent })))).toEqual(['desktop', 'CLI', 'host', 'CLI via desktop', 'on its own']);
    expect(door(row({ userAgent: 'aws-cli/2.15', sourceIPAddress: '127.0.0.1' }))).toBe('network: aws-cli/2.15 from 127.0.0.1');
  });

  it('names its keys by their alias where there is one', () => {
    const key = '1234abcd-12ab-34cd-56ef-1234567890ab';
    const other = '0987dcba-09ba-87dc-65fe-0987654321ba';
    const resources = [{ ARN: 'arn:aws:kms:local:1:alias/payroll' }, { ARN: `arn:aws:kms:local:1:key/${key}` }, { ARN: `arn:aws:kms:local:1:key/${other}` }];
    expect(targets(row({ resources }), new Map([[key, ['alias/payroll']]]))).toEqual(['alias/payroll', 'alias/payroll (1234abcd…)', other]);
  });
});
