import { join } from 'node:path';
import * as pkcs11js from 'pkcs11js';
import { afterEach, describe, expect, it } from 'vitest';
import { KmsError } from '../../src-shared/errors';
import { tokenFailure } from '../../src-main/hsm/errors';
import { findSoftHsm2 } from '../../src-main/hsm/module';
import { requireMechanism } from '../../src-main/hsm/rootOfTrust/probe';
import { initVault } from '../../src-main/kms/lifecycle/init';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { makeExternalToken } from '../helpers/softhsm';
import { tempDir } from '../helpers/temp';
import { makeVault, PIN } from '../helpers/vault';

/** CKM_SHA3_256 (PKCS#11 3.0), which SoftHSM2 2.6 does not offer. */
const CKM_SHA3_256 = 0x2b0;

let open: Vault | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
  delete process.env.STRONGROOM_SOFTHSM2_MODULE;
});

function failure(fn: () => unknown): KmsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KmsError) return error;
    throw error;
  }
  throw new Error('expected a KmsError');
}

describe('token errors a person can act on', () => {
  it('names the missing module file', () => {
    const home = join(tempDir(), 'vault');
    const error = failure(() => initVault({ home, pin: PIN, rootOfTrust: 'aes', pkcs11: '/nonexistent/libpkcs11.so' }));
    expect(error.type).toBe('TokenModuleNotFoundException');
    expect(error.message).toContain('/nonexistent/libpkcs11.so does not exist');
  });

  it('says which package installs SoftHSM2 when the embedded token has no module', () => {
    process.env.STRONGROOM_SOFTHSM2_MODULE = '/nonexistent/libsofthsm2.so';
    const error = failure(() => initVault({ home: join(tempDir(), 'vault'), pin: PIN, rootOfTrust: 'aes' }));
    expect(error.type).toBe('TokenModuleNotFoundException');
    expect(error.message).toContain('sudo apt-get install softhsm2');
  });

  it('refuses a file that is not a PKCS#11 module', () => {
    const error = failure(() => initVault({ home: join(tempDir(), 'vault'), pin: PIN, rootOfTrust: 'aes', pkcs11: '/usr/lib/os-release' }));
    expect(error.type).toBe('TokenModuleNotFoundException');
    expect(error.message).toContain('could not be loaded');
  });

  it('says that a module loaded but failed to initialize, and what to check', () => {
    const conf = process.env.SOFTHSM2_CONF;
    process.env.SOFTHSM2_CONF = join(tempDir(), 'missing.conf');
    try {
      const error = failure(() => initVault({ home: join(tempDir(), 'vault'), pin: PIN, rootOfTrust: 'aes', pkcs11: findSoftHsm2() }));
      expect(error.type).toBe('TokenNotFoundException');
      expect(error.message).toBe(`The PKCS#11 module ${findSoftHsm2()} loaded, but its C_Initialize failed with CKR_GENERAL_ERROR. Check SoftHSM2's configuration file (SOFTHSM2_CONF) and that its token directory exists.`);
    } finally {
      if (conf === undefined) delete process.env.SOFTHSM2_CONF;
      else process.env.SOFTHSM2_CONF = conf;
    }
  });

  it('lists the tokens that are there when none has the label', () => {
    const token = makeExternalToken('Present', '246810');
    const error = failure(() => initVault({ home: join(tempDir(), 'vault'), pin: token.pin, rootOfTrust: 'aes', pkcs11: token.modulePath, tokenLabel: 'Absent' }));
    expect(error.type).toBe('TokenNotFoundException');
    expect(error.message).toMatch(/No token with label "Absent" .* Tokens present: "Present" \(serial [0-9a-f]+\)/);
  });

  it('refuses a malformed PKCS#11 URI and one that carries a PIN', () => {
    const home = join(tempDir(), 'vault');
    expect(failure(() => initVault({ home, pin: PIN, rootOfTrust: 'aes', pkcs11: 'pkcs11:token=A?pin-value=1234' })).message).toMatch(/pin-value is not accepted/);
    expect(failure(() => initVault({ home, pin: PIN, rootOfTrust: 'aes', pkcs11: 'pkcs11:token=A' })).message).toMatch(/needs a module-path/);
  });

  it('says when the token lacks a mechanism', () => {
    const { vault } = makeVault();
    open = vault;
    vault.unlock(PIN);
    const error = vault.use(({ session }) => failure(() => { requireMechanism(session, CKM_SHA3_256, pkcs11js.CKF_DIGEST, 'SHA3-256', 'Use another token.'); }));
    expect(error.type).toBe('MechanismNotSupportedException');
    expect(error.message).toBe('The token "Strongroom" does not offer SHA3-256. Use another token.');
  });

  it('maps the return values of a locked PIN, a removed token and an unknown mechanism', () => {
    const make = (name: string, code: number) => new pkcs11js.Pkcs11Error(name, code, 'C_Login');
    expect(tokenFailure(make('CKR_PIN_LOCKED', pkcs11js.CKR_PIN_LOCKED), 'logging in').type).toBe('PinLockedException');
    expect(tokenFailure(make('CKR_PIN_LOCKED', pkcs11js.CKR_PIN_LOCKED), 'logging in').message).toMatch(/security-officer PIN/);
    expect(tokenFailure(make('CKR_DEVICE_REMOVED', pkcs11js.CKR_DEVICE_REMOVED), 'signing').message).toMatch(/removed, or its session closed, while signing/);
    expect(tokenFailure(make('CKR_TOKEN_NOT_PRESENT', pkcs11js.CKR_TOKEN_NOT_PRESENT), 'x').type).toBe('TokenRemovedException');
    expect(tokenFailure(make('CKR_MECHANISM_INVALID', pkcs11js.CKR_MECHANISM_INVALID), 'wrapping').type).toBe('MechanismNotSupportedException');
    expect(tokenFailure(new Error('secret 1234'), 'x')).toMatchObject({ type: 'KMSInternalException', message: 'The PKCS#11 module failed while x.' });
  });
});
