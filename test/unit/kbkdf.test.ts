import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kdfCounterSha384 } from '../../src-main/envelope/ecdh';

const { vectors } = JSON.parse(readFileSync(join(__dirname, '../vectors/kbkdf-hmac-sha384.json'), 'utf8')) as { vectors: { name: string; key: string; fixedInput: string; bytes: number; output: string }[] };

describe('the raw ECDH keyring’s KDF (NIST SP 800-108 counter mode, HMAC-SHA384)', () => {
  it('gives the CAVP vectors', () => {
    expect(vectors.length).toBeGreaterThan(0);
    for (const vector of vectors) expect(kdfCounterSha384(Buffer.from(vector.key, 'hex'), Buffer.from(vector.fixedInput, 'hex'), vector.bytes).toString('hex'), vector.name).toBe(vector.output);
  });

  it('runs on past one block: 64 bytes are the first two blocks', () => {
    const key = Buffer.alloc(48, 1);
    const long = kdfCounterSha384(key, Buffer.from('fixed'), 96);
    expect(kdfCounterSha384(key, Buffer.from('fixed'), 64).equals(long.subarray(0, 64))).toBe(true);
    expect(kdfCounterSha384(key, Buffer.from('fixed'), 48).equals(long.subarray(0, 48))).toBe(true);
  });
});
