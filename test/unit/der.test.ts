// The key encodings (src-main/crypto/asymmetric/der.ts): what goes in comes back out, whatever kind of buffer it came in,
// and bytes that are not an encoding give undefined, never an exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePkcs8, decodeSpki, encodePkcs8, encodeSpki } from '../../src-main/crypto/asymmetric/der';

const OID = '1.3.101.112';
/** The ways bytes reach the encoder: a Uint8Array, a Buffer of its own, a small Buffer from Node's shared pool, a view into a larger buffer. */
const asBuffer = (bytes: Uint8Array): Uint8Array[] => [bytes, Buffer.from(bytes), Buffer.concat([Buffer.from(bytes)]), Buffer.from([9, 9, ...bytes, 9]).subarray(2, 2 + bytes.length)];

describe('DER key encodings', () => {
  it('PKCS#8 and SubjectPublicKeyInfo give back exactly the bytes they were given, and nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), (bytes) => {
        for (const given of asBuffer(bytes)) {
          const pkcs8 = encodePkcs8({ oid: OID }, given);
          expect(Buffer.from(decodePkcs8(pkcs8)?.privateKey ?? []).equals(Buffer.from(bytes))).toBe(true);
          expect(pkcs8.length).toBeLessThan(bytes.length + 32);
          const spki = encodeSpki({ oid: OID }, given);
          expect(Buffer.from(decodeSpki(spki)?.publicKey ?? []).equals(Buffer.from(bytes))).toBe(true);
          expect(spki.length).toBeLessThan(bytes.length + 32);
        }
      }),
    );
  });

  it('says undefined for bytes that are not an encoding, and for an encoding with bytes after it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (junk) => {
        expect(() => decodeSpki(junk)).not.toThrow();
        expect(() => decodePkcs8(junk)).not.toThrow();
      }),
    );
    const spki = encodeSpki({ oid: OID }, new Uint8Array(32));
    expect(decodeSpki(Buffer.concat([spki, Buffer.from([0])]))).toBeUndefined();
    expect(decodeSpki(spki.subarray(0, spki.length - 1))).toBeUndefined();
  });
});
