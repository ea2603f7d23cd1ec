import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { externalToken } from '../../src-main/hsm/externalToken';
import { formatPkcs11Uri, isPkcs11Uri, parsePkcs11Uri, type Pkcs11Uri } from '../../src-main/hsm/uri';

describe('PKCS#11 URIs (RFC 7512)', () => {
  it('reads the examples of RFC 7512 section 3.3 that select a token or module', () => {
    expect(parsePkcs11Uri('pkcs11:')).toEqual({});
    expect(parsePkcs11Uri('pkcs11:object=my-pubkey;type=public')).toEqual({});
    expect(parsePkcs11Uri('pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;model=1.0;object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91;serial=')).toEqual({
      token: 'The Software PKCS#11 Softtoken',
      manufacturer: 'Snake Oil, Inc.',
      model: '1.0',
      serial: '',
    });
    expect(parsePkcs11Uri('pkcs11:token=Software%20PKCS%2311%20softtoken;manufacturer=Snake%20Oil,%20Inc.?module-path=/usr/lib/libsofthsm2.so')).toEqual({
      token: 'Software PKCS#11 softtoken',
      manufacturer: 'Snake Oil, Inc.',
      modulePath: '/usr/lib/libsofthsm2.so',
    });
    expect(parsePkcs11Uri('pkcs11:slot-id=7?module-name=opensc-pkcs11')).toEqual({ slotId: 7, moduleName: 'opensc-pkcs11' });
    expect(parsePkcs11Uri('PKCS11:token=A')).toEqual({ token: 'A' });
  });

  it('refuses malformed URIs and secrets in them', () => {
    expect(() => parsePkcs11Uri('/usr/lib/x.so')).toThrow(/must start with "pkcs11:"/);
    expect(() => parsePkcs11Uri('pkcs11:token')).toThrow(/"token" is not name=value/);
    expect(() => parsePkcs11Uri('pkcs11:token=a;token=b')).toThrow(/token appears twice/);
    expect(() => parsePkcs11Uri('pkcs11:token=%zz')).toThrow(/bad percent-encoding/);
    expect(() => parsePkcs11Uri('pkcs11:slot-id=x')).toThrow(/slot-id must be a decimal number/);
    expect(() => parsePkcs11Uri('pkcs11:token=a?pin-value=1234')).toThrow(/pin-value is not accepted/);
    expect(() => parsePkcs11Uri('pkcs11:token=a?pin-source=file:/pin')).toThrow(/pin-source is not accepted/);
    expect(isPkcs11Uri('/usr/lib/softhsm/libsofthsm2.so')).toBe(false);
  });

  it('reads back what it formats, for any values', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 });
    const uri = fc.record(
      { token: text, manufacturer: text, serial: text, model: text, slotId: fc.nat(), modulePath: text, moduleName: text },
      { requiredKeys: [] },
    ) as fc.Arbitrary<Pkcs11Uri>;
    fc.assert(
      fc.property(uri, (value) => {
        expect(parsePkcs11Uri(formatPkcs11Uri(value))).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('turns every token attribute of a URI into the selector, the token attribute into the label', () => {
    expect(externalToken('pkcs11:token=TPM%20One;serial=0001;manufacturer=IBM;model=SW%20%20%20TPM;slot-id=2;object=x?module-path=/m.so')).toEqual({
      modulePath: '/m.so',
      selector: { label: 'TPM One', serial: '0001', manufacturer: 'IBM', model: 'SW   TPM', slotId: 2 },
    });
    expect(externalToken('pkcs11:?module-path=/m.so')).toEqual({ modulePath: '/m.so', selector: {} });
    expect(externalToken('pkcs11:serial=7?module-path=/m.so', 'Card')).toEqual({ modulePath: '/m.so', selector: { serial: '7', label: 'Card' } });
    expect(externalToken('pkcs11:token=Card?module-path=/m.so', 'Card').selector).toEqual({ label: 'Card' });
    expect(() => externalToken('pkcs11:token=A?module-path=/m.so', 'B')).toThrow(/names token "A" but the token label given is "B"/);
    expect(externalToken('/m.so', 'Card')).toEqual({ modulePath: '/m.so', selector: { label: 'Card' } });
  });
});
