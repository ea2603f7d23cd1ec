import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { call, failure, newKey } from '../helpers/kms';
import { makeVault, PIN } from '../helpers/vault';

let vault: Vault;
let keyId: string;
beforeAll(() => {
  vault = makeVault().vault;
  vault.unlock(PIN);
  keyId = newKey(vault);
});
afterAll(() => {
  vault.close();
});

/** Any context a request may carry: `__proto__` is the one key refused on purpose (audit.test.ts proves it). */
const contextKey = fc.string({ minLength: 1, maxLength: 12 }).filter((key) => key !== '__proto__');
const context = fc.dictionary(contextKey, fc.string({ maxLength: 12 }), { maxKeys: 4 });

describe('ciphertext blobs (property tests)', () => {
  it('round-trip any plaintext of 1–4096 bytes with any encryption context', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 4096 }), context, (plaintext, ctx) => {
        const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: keyId, Plaintext: Buffer.from(plaintext).toString('base64'), EncryptionContext: ctx });
        const out = call(vault, 'Decrypt', { CiphertextBlob, EncryptionContext: ctx });
        expect(Buffer.from(out.Plaintext ?? '', 'base64').equals(Buffer.from(plaintext))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('reject every single-bit flip and every truncation', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 24 }), context, (plaintext, ctx) => {
        const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: keyId, Plaintext: Buffer.from(plaintext).toString('base64'), EncryptionContext: ctx });
        const blob = Buffer.from(CiphertextBlob ?? '', 'base64');
        for (let bit = 0; bit < blob.length * 8; bit += 1) {
          const flipped = Buffer.from(blob);
          flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
          expect(failure(vault, 'Decrypt', { CiphertextBlob: flipped.toString('base64'), EncryptionContext: ctx }), `bit ${String(bit)}`).toMatch(/^(InvalidCiphertextException|NotFoundException):/);
        }
        for (let length = 1; length < blob.length; length += 1) {
          expect(failure(vault, 'Decrypt', { CiphertextBlob: blob.subarray(0, length).toString('base64'), EncryptionContext: ctx }), `length ${String(length)}`).toMatch(/^InvalidCiphertextException:/);
        }
      }),
      { numRuns: 20 },
    );
  });
});
