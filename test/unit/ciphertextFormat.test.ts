import { ecb, gcm } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import { open } from '../../src-main/crypto/aesGcm';
import { readHeader } from '../../src-main/crypto/ciphertextBlob';
import { XaesKey } from '../../src-main/crypto/xaes';
import { canonicalContext } from '../../src-main/crypto/encryptionContext';

// The worked examples of docs/ciphertext-format.md.
const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const BLOB = Buffer.from('AhI0q80SqzTNVu8SNFZ4kKsAAAACoKGio6SlpqeoqaqrrK2ur7CxsrO0tba3hMk2mMD7zlGrVfEL+77YGv1mqgrCAa78mxA=', 'base64');
const BLOB_V1 = Buffer.from('ARI0q80SqzTNVu8SNFZ4kKsAAAACoKGio6Slpqeoqaqrrn0QQSrnIvQvNvgmkM4/Te/1Ag6msyug1v4=', 'base64');
const CONTEXT = { purpose: 'example', dept: 'legal' };

describe('the documented ciphertext format', () => {
  it('encodes the context canonically, sorted by key bytes', () => {
    expect(canonicalContext(CONTEXT).toString('hex')).toBe('000000020000000464657074000000056c6567616c00000007707572706f7365000000076578616d706c65');
    expect(canonicalContext(undefined).toString('hex')).toBe('00000000');
    expect(canonicalContext({ b: '1', a: '2' }).equals(canonicalContext({ a: '2', b: '1' }))).toBe(true);
    // UTF-8 byte order, not UTF-16 code unit order: U+FF5E sorts before U+1F600.
    expect(canonicalContext({ '😀': '', '～': '' }).subarray(8, 11).toString('utf8')).toBe('～');
  });

  it('reads the header of both examples, of a blob made on a token, and of a multi-Region key’s', () => {
    expect(readHeader(BLOB)).toEqual({ format: 2, keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', keyVersion: 2 });
    expect(readHeader(BLOB_V1)).toEqual({ format: 1, keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', keyVersion: 2 });
    expect(readHeader(Buffer.concat([Buffer.from([2]), Buffer.alloc(59)]))).toBeUndefined();
    expect(readHeader(Buffer.concat([Buffer.from([1]), Buffer.alloc(47)]))).toBeUndefined();
    expect(readHeader(Buffer.concat([Buffer.from([3]), Buffer.alloc(47)]))).toBeUndefined();
    expect(readHeader(Buffer.concat([Buffer.from([3]), BLOB_V1.subarray(1)]))).toEqual({ format: 3, keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', keyVersion: 2 });
    expect(readHeader(Buffer.concat([Buffer.from([5]), Buffer.alloc(80)]))).toBeUndefined();
    // A multi-Region key's blob: the 16 bytes are the hex digits after mrk-, read in version 2's layout.
    expect(readHeader(Buffer.concat([Buffer.from([4]), BLOB.subarray(1)]))).toEqual({ format: 2, keyId: 'mrk-1234abcd12ab34cd56ef1234567890ab', keyVersion: 2 });
    expect(readHeader(Buffer.concat([Buffer.from([4]), Buffer.alloc(59)]))).toBeUndefined();
  });

  it('opens the example with this XAES-256-GCM and with @noble/ciphers (subkey derivation written out from the spec)', () => {
    const aad = Buffer.concat([BLOB.subarray(0, 21), canonicalContext(CONTEXT)]);
    expect(new XaesKey(KEY).open(BLOB.subarray(21), aad)?.toString()).toBe('Hello, KMS');
    // L = AES(0); K1 = L << 1 (⊕ 0x87 when the top bit was set); Kx = AES(M1 ⊕ K1) ‖ AES(M2 ⊕ K1)
    const l = ecb(KEY, { disablePadding: true }).encrypt(new Uint8Array(16));
    const k1 = l.map((byte, i) => ((byte << 1) | ((l[i + 1] ?? 0) >> 7)) & 0xff);
    if ((l[0] ?? 0) & 0x80) k1[15] = (k1[15] ?? 0) ^ 0x87;
    const m = (counter: number) => Buffer.concat([Buffer.from([0, counter, 0x58, 0]), BLOB.subarray(21, 33)]).map((byte, i) => byte ^ (k1[i] ?? 0));
    const subkey = ecb(KEY, { disablePadding: true }).encrypt(Buffer.concat([m(1), m(2)]));
    expect(Buffer.from(gcm(subkey, BLOB.subarray(33, 45), aad).decrypt(BLOB.subarray(45))).toString()).toBe('Hello, KMS');
    expect(new XaesKey(KEY).open(BLOB.subarray(21), Buffer.concat([BLOB.subarray(0, 21), canonicalContext({ purpose: 'example' })]))).toBeUndefined();
  });

  it('opens the first-format example with node:crypto and with @noble/ciphers', () => {
    const aad = Buffer.concat([BLOB_V1.subarray(0, 21), canonicalContext(CONTEXT)]);
    expect(open(KEY, BLOB_V1.subarray(21), aad)?.toString()).toBe('Hello, KMS');
    expect(Buffer.from(gcm(KEY, BLOB_V1.subarray(21, 33), aad).decrypt(BLOB_V1.subarray(33))).toString()).toBe('Hello, KMS');
    expect(open(KEY, BLOB_V1.subarray(21), Buffer.concat([BLOB_V1.subarray(0, 21), canonicalContext({ purpose: 'example' })]))).toBeUndefined();
  });
});
