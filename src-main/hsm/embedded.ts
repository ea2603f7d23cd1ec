import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pkcs11js from 'pkcs11js';
import { KmsError } from '../../src-shared/errors';
import { tokenFailure } from './errors';
import { findSoftHsm2, loadModule, type LoadedModule } from './module';
import { listTokens, paddedLabel, TokenSession } from './token';

/** Where a vault keeps its embedded SoftHSM2 token: its own config and token directory. */
export function embeddedTokenPaths(home: string): { dir: string; conf: string; tokens: string } {
  const dir = join(home, 'token');
  return { dir, conf: join(dir, 'softhsm2.conf'), tokens: join(dir, 'tokens') };
}

/** The SoftHSM2 configuration of the embedded token in `paths`: its token directory, by absolute path. */
function embeddedConf(paths: { tokens: string }): string {
  return `directories.tokendir = ${paths.tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`;
}

/**
 * Loads SoftHSM2 with the vault's own configuration, first pointing it at
 * the token directory where the home is now (a home restored, or moved,
 * from elsewhere names the old place).
 */
export function loadEmbeddedModule(home: string): LoadedModule {
  const paths = embeddedTokenPaths(home);
  if (existsSync(paths.conf) && readFileSync(paths.conf, 'utf8') !== embeddedConf(paths)) writeFileSync(paths.conf, embeddedConf(paths), { mode: 0o600 });
  return loadModule(findSoftHsm2(), paths.conf);
}

const SO_PIN_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A security-officer PIN a person can copy down: 24 characters in groups of four. */
function generateSoPin(): string {
  const chars = Array.from({ length: 24 }, () => SO_PIN_ALPHABET[randomInt(SO_PIN_ALPHABET.length)]);
  return chars.join('').replace(/(.{4})(?=.)/g, '$1-');
}

/** Refuses a PIN the token would not take, before anything is created. */
export function checkPinLength(pin: string, min: number, max: number): void {
  const length = Buffer.byteLength(pin);
  if (length < min || length > max) {
    throw new KmsError('ValidationException', `The PIN must be ${String(min)} to ${String(max)} bytes long for this token.`);
  }
}

/**
 * Creates a SoftHSM2 token inside `home` (its own softhsm2.conf and token
 * directory; nothing in the system token directory), initialized with the
 * user's PIN and a generated security-officer PIN, which is returned once and
 * stored nowhere. On failure nothing is left behind. The returned module is
 * loaded; the caller releases it.
 */
export function provisionEmbeddedToken(home: string, label: string, pin: string): { module: LoadedModule; soPin: string } {
  const paths = embeddedTokenPaths(home);
  const modulePath = findSoftHsm2();
  mkdirSync(paths.tokens, { recursive: true, mode: 0o700 });
  writeFileSync(paths.conf, embeddedConf(paths), { mode: 0o600 });
  let module: LoadedModule | undefined;
  try {
    module = loadModule(modulePath, paths.conf);
    const free = listTokens(module).find((t) => !t.token.initialized);
    if (free === undefined) throw new KmsError('TokenNotFoundException', 'SoftHSM2 offered no free slot for a new token.');
    checkPinLength(pin, free.token.minPinLength, free.token.maxPinLength);
    const soPin = generateSoPin();
    try {
      module.lib.C_InitToken(free.slot, soPin, paddedLabel(label));
    } catch (error) {
      throw tokenFailure(error, 'initializing the embedded token');
    }
    // The slot id changes after C_InitToken: find the token again by its label.
    const session = TokenSession.open(module, { label });
    try {
      session.call('setting the user PIN', (lib, handle) => {
        lib.C_Login(handle, pkcs11js.CKU_SO, soPin);
        lib.C_InitPIN(handle, pin);
        lib.C_Logout(handle);
      });
    } finally {
      session.close();
    }
    return { module, soPin };
  } catch (error) {
    module?.release();
    rmSync(paths.dir, { recursive: true, force: true });
    throw error;
  }
}
