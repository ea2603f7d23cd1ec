import { describe, expect, it } from 'vitest';
import { textLines } from '../../src-main/cli/textOutput';

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
