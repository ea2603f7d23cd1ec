import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MESSAGES_PER_SUBKEY, XaesKey } from '../../src-main/crypto/xaes';

// The vectors of c2sp.org/XAES-256-GCM.
const NONCE = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWX');

function seal(key: Buffer, nonce: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const xaes = new XaesKey(key);
  const out = Buffer.alloc(24 + plaintext.length + 16);
  xaes.sealInto(plaintext, aad, out, 0, nonce);
  expect(xaes.open(out, aad)).toEqual(plaintext);
  xaes.destroy();
  return out.subarray(24);
}

describe('XAES-256-GCM', () => {
  it('matches the specification vectors (both branches of the CMAC subkey)', () => {
    expect(seal(Buffer.alloc(32, 1), NONCE, Buffer.from('XAES-256-GCM'), Buffer.alloc(0)).toString('hex')).toBe('ce546ef63c9cc60765923609b33a9a1974e96e52daf2fcf7075e2271');
    expect(seal(Buffer.alloc(32, 3), NONCE, Buffer.from('XAES-256-GCM'), Buffer.from('c2sp.org/XAES-256-GCM')).toString('hex')).toBe('986ec1832593df5443a179437fd083bf3fdb41abd740a21f71eb769d');
  });

  it('matches the specification accumulated test of 10,000 random messages', () => {
    const stream = createHash('shake128', { outputLength: 6_000_000 }).digest();
    let at = 0;
    const read = (n: number): Buffer => stream.subarray(at, (at += n));
    const digest = createHash('shake128', { outputLength: 32 });
    for (let i = 0; i < 10_000; i++) {
      const key = read(32);
      const nonce = read(24);
      const plaintext = read(read(1)[0] as number);
      const aad = read(read(1)[0] as number);
      digest.update(seal(key, nonce, plaintext, aad));
    }
    expect(digest.digest('hex')).toBe('e6b9edf2df6cec60c8cbd864e2211b597fb69a529160cd040d56c0c210081939');
  });

  it('refuses a changed nonce, ciphertext, tag or AAD, and a destroyed key', () => {
    const xaes = new XaesKey(Buffer.alloc(32, 7));
    const sealed = Buffer.alloc(24 + 5 + 16);
    xaes.sealInto(Buffer.from('hello'), Buffer.from('aad'), sealed, 0);
    for (const at of [0, 13, 24, 30, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at] = (bad[at] as number) ^ 1;
      expect(xaes.open(bad, Buffer.from('aad'))).toBeUndefined();
    }
    expect(xaes.open(sealed, Buffer.from('aae'))).toBeUndefined();
    expect(xaes.open(sealed.subarray(0, 39), Buffer.from('aad'))).toBeUndefined();
    xaes.destroy();
    expect(() => xaes.open(sealed, Buffer.from('aad'))).toThrow();
  });

  it('draws a new first nonce half after each derived key has sealed its share, with a fresh IV for every message', () => {
    const xaes = new XaesKey(Buffer.alloc(32, 9));
    const plaintext = Buffer.from('m');
    const prefixes = new Set<string>();
    const ivs = new Set<string>();
    const sealed: Buffer[] = [];
    for (let i = 0; i < MESSAGES_PER_SUBKEY + 1; i++) {
      const out = Buffer.alloc(24 + 1 + 16);
      xaes.sealInto(plaintext, Buffer.alloc(0), out, 0);
      prefixes.add(out.subarray(0, 12).toString('hex'));
      ivs.add(out.subarray(12, 24).toString('hex'));
      if (i === 0 || i === MESSAGES_PER_SUBKEY) sealed.push(out);
    }
    expect(prefixes.size).toBe(2);
    expect(ivs.size).toBe(MESSAGES_PER_SUBKEY + 1);
    // A key of its own (no derived key cached) opens both, and so does the same one, in any order.
    for (const opener of [new XaesKey(Buffer.alloc(32, 9)), xaes]) {
      for (const out of [...sealed, ...sealed.reverse()]) expect(opener.open(out, Buffer.alloc(0))).toEqual(plaintext);
    }
  });
});
