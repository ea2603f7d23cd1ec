import { gcm } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import { open } from '../../src-main/crypto/aesGcm';
import { readHeader } from '../../src-main/crypto/ciphertextBlob';
import { canonicalContext } from '../../src-main/crypto/encryptionContext';

// The worked example of docs/ciphertext-format.md.
const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const BLOB = Buffer.from('ARI0q80SqzTNVu8SNFZ4kKsAAAACoKGio6Slpqeoqaqrrn0QQSrnIvQvNvgmkM4/Te/1Ag6msyug1v4=', 'base64');
const CONTEXT = { purpose: 'example', dept: 'legal' };

describe('the documented ciphertext format', () => {
  it('encodes the context canonically, sorted by key bytes', () => {
    expect(canonicalContext(CONTEXT).toString('hex')).toBe('000000020000000464657074000000056c6567616c00000007707572706f7365000000076578616d706c65');
    expect(canonicalContext(undefined).toString('hex')).toBe('00000000');
    expect(canonicalContext({ b: '1', a: '2' }).equals(canonicalContext({ a: '2', b: '1' }))).toBe(true);
    // UTF-8 byte order, not UTF-16 code unit order: U+FF5E sorts before U+1F600.
    expect(canonicalContext({ '😀': '', '～': '' }).subarray(8, 11).toString('utf8')).toBe('～');
  });

  it('reads the header of the example', () => {
    expect(readHeader(BLOB)).toEqual({ keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', keyVersion: 2 });
    expect(readHeader(Buffer.alloc(48))).toBeUndefined();
  });

  it('opens the example with node:crypto and with @noble/ciphers', () => {
    const aad = Buffer.concat([BLOB.subarray(0, 21), canonicalContext(CONTEXT)]);
    expect(open(KEY, BLOB.subarray(21), aad)?.toString()).toBe('Hello, KMS');
    expect(Buffer.from(gcm(KEY, BLOB.subarray(21, 33), aad).decrypt(BLOB.subarray(33))).toString()).toBe('Hello, KMS');
    expect(open(KEY, BLOB.subarray(21), Buffer.concat([BLOB.subarray(0, 21), canonicalContext({ purpose: 'example' })]))).toBeUndefined();
  });
});
