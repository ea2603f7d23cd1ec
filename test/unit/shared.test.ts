import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatArn, parseArn } from '../../src-shared/arn';
import { KmsError, toErrorShape } from '../../src-shared/errors';
import type { AccountId } from '../../src-shared/ids';
import { cliName } from '../../src-shared/kms/operationNames';
import { base64Length, blob } from '../../src-shared/kms/wire';

describe('errors as data', () => {
  it('keeps the AWS name and message of a KmsError', () => {
    expect(toErrorShape(new KmsError('NotFoundException', 'Key x does not exist.'))).toEqual({ __type: 'NotFoundException', message: 'Key x does not exist.' });
  });

  it('hides the detail of anything else, which might hold a secret', () => {
    const shape = toErrorShape(new Error('PIN 123456 rejected'));
    expect(shape.__type).toBe('KMSInternalException');
    expect(shape.message).not.toContain('123456');
  });
});

describe('ARNs', () => {
  it('format as AWS tooling expects and parse back', () => {
    const key = { partition: 'aws', region: 'local', accountId: '111122223333' as AccountId, resource: { kind: 'key', id: '1234abcd-12ab-34cd-56ef-1234567890ab' } } as const;
    expect(formatArn(key)).toBe('arn:aws:kms:local:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(parseArn(formatArn(key))).toEqual(key);
    expect(parseArn('arn:aws:kms:us-west-2:111122223333:alias/ExampleAlias')?.resource).toEqual({ kind: 'alias', name: 'ExampleAlias' });
    expect(parseArn('arn:aws:s3:::bucket')).toBeUndefined();
    expect(parseArn('1234abcd-12ab-34cd-56ef-1234567890ab')).toBeUndefined();
  });
});

describe('wire blobs', () => {
  it('measure base64 as the bytes it decodes to', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(base64Length(Buffer.from(bytes).toString('base64'))).toBe(bytes.length);
      }),
    );
  });

  it('refuse what is not standard base64 or is out of bounds', () => {
    const schema = blob(1, 4);
    expect(schema.safeParse('AAAA').success).toBe(true);
    expect(schema.safeParse('AAAAAA==').success).toBe(true);
    expect(schema.safeParse('').success).toBe(false);
    expect(schema.safeParse('AAAAAAA=').success).toBe(false);
    expect(schema.safeParse('AA-_').success).toBe(false);
    expect(schema.safeParse('AAA').success).toBe(false);
    expect(schema.safeParse('A=AA').success).toBe(false);
    expect(schema.safeParse('AA=A').success).toBe(false);
    expect(schema.safeParse('A===').success).toBe(false);
  });

  it('take exactly the strings of RFC 4648 base64 with padding', () => {
    const grammar = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
    const schema = blob(0, 100);
    const text = fc.string({ unit: fc.constantFrom('A', 'Z', 'a', 'z', '0', '9', '+', '/', '=', '-', '_', ' '), maxLength: 12 });
    fc.assert(
      fc.property(text, (candidate) => {
        expect(schema.safeParse(candidate).success).toBe(grammar.test(candidate));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('operation names', () => {
  it('match the AWS CLI', () => {
    expect(cliName('GenerateRandom')).toBe('generate-random');
    expect(cliName('ReEncrypt')).toBe('re-encrypt');
    expect(cliName('GenerateDataKeyPairWithoutPlaintext')).toBe('generate-data-key-pair-without-plaintext');
    expect(cliName('GetKeyRotationStatus')).toBe('get-key-rotation-status');
  });
});
