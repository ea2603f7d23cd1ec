import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src-shared/kms/shapes.generated';
import * as shapes from '../../src-shared/kms/shapes.generated';
import { validate } from '../../src-shared/kms/validate';
import { tempDir } from '../helpers/temp';

const ROOT = join(__dirname, '..', '..');
const MODEL = join(ROOT, 'reference', 'aws-kms', 'service-2.json');

interface ModelShape {
  type: string;
  min?: number;
  max?: number;
  enum?: string[];
  pattern?: string;
}

describe('schemas generated from the AWS KMS API model', () => {
  it('are up to date with the model', () => {
    const out = tempDir();
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'gen-kms-shapes.mjs'), MODEL, out]);
    expect(readFileSync(join(out, 'shapes.generated.ts'), 'utf8')).toBe(readFileSync(join(ROOT, 'src-shared', 'kms', 'shapes.generated.ts'), 'utf8'));
  });

  it('cover every operation of the model', () => {
    const model = JSON.parse(readFileSync(MODEL, 'utf8')) as { operations: Record<string, unknown> };
    expect(Object.keys(OPERATIONS).sort()).toEqual(Object.keys(model.operations).sort());
  });

  it("enforce the model's integer bounds, enums and string lengths", () => {
    const model = JSON.parse(readFileSync(MODEL, 'utf8')) as { shapes: Record<string, ModelShape> };
    const schemas = shapes as unknown as Record<string, (() => { safeParse(v: unknown): { success: boolean } }) | undefined>;
    let checked = 0;
    for (const [name, shape] of Object.entries(model.shapes)) {
      const schema = schemas[name]?.();
      if (schema === undefined) continue;
      if (shape.type === 'integer' && shape.min !== undefined && shape.max !== undefined) {
        expect(schema.safeParse(shape.min).success, name).toBe(true);
        expect(schema.safeParse(shape.max).success, name).toBe(true);
        expect(schema.safeParse(shape.min - 1).success, name).toBe(false);
        expect(schema.safeParse(shape.max + 1).success, name).toBe(false);
        expect(schema.safeParse(shape.min + 0.5).success, name).toBe(false);
        checked += 1;
      }
      if (shape.type === 'string' && shape.enum) {
        for (const value of shape.enum) expect(schema.safeParse(value).success, name).toBe(true);
        expect(schema.safeParse('NOT_A_MEMBER').success, name).toBe(false);
        checked += 1;
      }
      if (shape.type === 'string' && !shape.enum && shape.pattern === undefined && shape.max !== undefined) {
        expect(schema.safeParse('a'.repeat(shape.max)).success, name).toBe(true);
        expect(schema.safeParse('a'.repeat(shape.max + 1)).success, name).toBe(false);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('are each built once, on first use, and shared by every operation that uses them', () => {
    expect(OPERATIONS.Encrypt.input).toBe(shapes.EncryptRequest());
    expect(OPERATIONS.Encrypt.input.shape.KeyId).toBe(OPERATIONS.DescribeKey.input.shape.KeyId);
    expect(OPERATIONS.CreateAlias.output).toBe(OPERATIONS.DeleteAlias.output);
  });

  it('anchor the patterns of the model', () => {
    expect(shapes.AliasNameType().safeParse('alias/my-key').success).toBe(true);
    expect(shapes.AliasNameType().safeParse('alias/my key').success).toBe(false);
    expect(shapes.AccountIdType().safeParse('111122223333').success).toBe(true);
    expect(shapes.AccountIdType().safeParse('1111222233334').success).toBe(false);
  });

  it('turn a bad request into a ValidationException worded as AWS words it, naming each member but no value', () => {
    expect(() => validate(OPERATIONS.GenerateRandom.input, { NumberOfBytes: 2000, Junk: true })).toThrow(
      /^2 validation errors detected: Value at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024; Unknown member at 'request': Junk$/,
    );
    const tooLong = { TagKey: 'k'.repeat(129), TagValue: '' };
    expect(() => validate(OPERATIONS.CreateKey.input, { Tags: [{ TagKey: 'ok', TagValue: '' }, tooLong] })).toThrow(
      /^1 validation error detected: Value at 'tags\.2\.member\.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128$/,
    );
    expect(() => validate(OPERATIONS.CreateAlias.input, { AliasName: 'alias/a b' })).toThrow(
      "Value at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$; Value at 'targetKeyId' failed to satisfy constraint: Member must not be null",
    );
    expect(() => validate(OPERATIONS.Encrypt.input, { KeyId: null, Plaintext: 'AAAA' })).toThrow("Value at 'keyId' failed to satisfy constraint: Member must not be null");
    expect(() => validate(OPERATIONS.Encrypt.input, { KeyId: 'k', Plaintext: 'a' })).toThrow(/^1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must be standard base64$/);
    // A map's keys are the caller's: named as given.
    expect(() => validate(OPERATIONS.Encrypt.input, { KeyId: 'k', Plaintext: 'AAAA', EncryptionContext: { Dept: 5 } })).toThrow(
      "Value at 'encryptionContext.Dept' failed to satisfy constraint: Member must be of type string",
    );
    const secret = Buffer.alloc(4097, 7).toString('base64');
    expect(() => validate(OPERATIONS.Encrypt.input, { KeyId: 'k', Plaintext: secret, EncryptionAlgorithm: 'NOPE' })).toThrow(
      /^2 validation errors detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096; Value at 'encryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: \[SYMMETRIC_DEFAULT, /,
    );
  });
});
