import { describe, expect, it, onTestFinished } from 'vitest';
import { textLines } from '../../src-main/cli/textOutput';
import { isoTimestamp, statusWithIsoTimestamps, withIsoTimestamps } from '../../src-main/cli/timestamps';

describe('--output text, as the AWS CLI writes it', () => {
  it('writes scalars as themselves, true, false and null as Python spells them', () => {
    expect(textLines('abc')).toEqual(['abc']);
    expect(textLines(12.5)).toEqual(['12.5']);
    expect(textLines(true)).toEqual(['True']);
    expect(textLines(false)).toEqual(['False']);
    expect(textLines(null)).toEqual(['None']);
  });

  it('writes a list of values on one line, a list of lists a line each, and nothing for an empty list or object', () => {
    expect(textLines(['a', 'b', 3])).toEqual(['a\tb\t3']);
    expect(textLines([['a', 'b'], ['c', 'd']])).toEqual(['a\tb', 'c\td']);
    expect(textLines([])).toEqual([]);
    expect(textLines({})).toEqual([]);
  });

  it('writes an object’s values in the order of their names, then what is nested under upper-cased names', () => {
    expect(textLines({ KeyId: 'arn', CiphertextBlob: 'X', EncryptionAlgorithm: 'S' })).toEqual(['X\tS\tarn']);
    expect(textLines({ KeyMetadata: { KeyId: 'k', Enabled: true, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT', 'OTHER'], MultiRegion: false } })).toEqual([
      'KEYMETADATA\tTrue\tk\tFalse',
      'ENCRYPTIONALGORITHMS\tSYMMETRIC_DEFAULT',
      'ENCRYPTIONALGORITHMS\tOTHER',
    ]);
  });

  it('writes a list of objects a line each, with the values any of them has, empty where one lacks it', () => {
    expect(textLines({ Truncated: false, Aliases: [{ AliasName: 'alias/a', TargetKeyId: 'k' }, { AliasName: 'alias/b' }] })).toEqual(['False', 'ALIASES\talias/a\tk', 'ALIASES\talias/b\t']);
  });
});

describe('timestamps, as AWS CLI v2 prints them', () => {
  // Expected values from Python: datetime.fromtimestamp(t, ZoneInfo(zone)).isoformat(), which the AWS CLI prints.
  const cases: [string, number, string][] = [
    ['America/Los_Angeles', 1795450568.212, '2026-11-23T08:16:08.212000-08:00'],
    ['America/Los_Angeles', 1795450568, '2026-11-23T08:16:08-08:00'],
    ['Asia/Kolkata', 1795450568.212, '2026-11-23T21:46:08.212000+05:30'],
    ['UTC', 0, '1970-01-01T00:00:00+00:00'],
  ];
  it.each(cases)('in %s, %d is %s', (zone, seconds, expected) => {
    const before = process.env.TZ;
    process.env.TZ = zone;
    try {
      expect(isoTimestamp(seconds)).toBe(expected);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('converts timestamp members at any depth, and nothing else', () => {
    const before = process.env.TZ;
    process.env.TZ = 'UTC';
    onTestFinished(() => {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    });
    expect(withIsoTimestamps({ KeyMetadata: { CreationDate: 0, Description: 'CreationDate', ValidTo: 1.5 }, Rotations: [{ RotationDate: 60 }], Limit: 5 })).toEqual({
      KeyMetadata: { CreationDate: '1970-01-01T00:00:00+00:00', Description: 'CreationDate', ValidTo: '1970-01-01T00:00:01.500000+00:00' },
      Rotations: [{ RotationDate: '1970-01-01T00:01:00+00:00' }],
      Limit: 5,
    });
    const status = { Home: '/v', Initialized: true, CreationDate: '1970-01-01T00:00:02.000Z', State: 'Locked', LockReason: 'idle', LockedAt: 3.25 } as const;
    expect(Object.entries(statusWithIsoTimestamps(status))).toEqual([
      ['Home', '/v'], ['Initialized', true], ['CreationDate', '1970-01-01T00:00:02+00:00'], ['State', 'Locked'], ['LockReason', 'idle'], ['LockedAt', '1970-01-01T00:00:03.250000+00:00'],
    ]);
    expect(statusWithIsoTimestamps({ Home: '/v', Initialized: true, State: 'Unlocked', AutoLockSeconds: 900, AutoLockAt: 900 })).toMatchObject({ AutoLockSeconds: 900, AutoLockAt: '1970-01-01T00:15:00+00:00' });
  });
});
