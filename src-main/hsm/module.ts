import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import * as pkcs11js from 'pkcs11js';
import { KmsError } from '../../src-shared/errors';
import { assertModuleAllowed } from './allowedModules';
import { isTpm2Pkcs11, looksLikeTpm2Pkcs11, TPM_UNREACHABLE_HINT } from './tpm';

/** A loaded and initialized PKCS#11 module; release it when done. */
export interface LoadedModule {
  readonly path: string;
  readonly lib: pkcs11js.PKCS11;
  /** True when the module says (C_GetInfo) that it is tpm2-pkcs11, whose tokens live on a TPM. */
  readonly isTpm: boolean;
  release(): void;
}

interface Entry {
  lib: pkcs11js.PKCS11;
  isTpm: boolean;
  refs: number;
  softhsmConf: string | undefined;
}

/**
 * One entry per module path: a PKCS#11 library is initialized once per
 * process, so every user of the same path shares it, and the last release
 * finalizes it.
 */
const loaded = new Map<string, Entry>();

/** Where Debian, Fedora, Homebrew and source builds put SoftHSM2. */
export const SOFTHSM2_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
];

/** The SoftHSM2 module on this machine (STRONGROOM_SOFTHSM2_MODULE first); throws with the install hint if there is none. */
export function findSoftHsm2(): string {
  const override = process.env.STRONGROOM_SOFTHSM2_MODULE;
  const candidates = override ? [override] : SOFTHSM2_CANDIDATES;
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) {
    throw new KmsError(
      'TokenModuleNotFoundException',
      `SoftHSM2 is not installed (looked for ${candidates.join(', ')}). Install it with "sudo apt-get install softhsm2" (Debian, Ubuntu), "sudo dnf install softhsm" (Fedora) or "brew install softhsm" (macOS), or give a PKCS#11 module with --pkcs11.`,
    );
  }
  return found;
}

/** The error for a module that loaded but whose C_Initialize failed: its device or service is not there, or its configuration is wrong. */
function initializeFailure(path: string, error: unknown): KmsError {
  const code = error instanceof Error ? error.message : String(error);
  let hint = 'Check that the device it drives is connected, that its service (pcscd for smart cards) is running, and its configuration.';
  if (looksLikeTpm2Pkcs11(path)) hint = TPM_UNREACHABLE_HINT;
  else if (basename(path).includes('softhsm')) hint = "Check SoftHSM2's configuration file (SOFTHSM2_CONF) and that its token directory exists.";
  return new KmsError('TokenNotFoundException', `The PKCS#11 module ${path} loaded, but its C_Initialize failed with ${code}. ${hint}`);
}

/** True when the initialized module's C_GetInfo says it is tpm2-pkcs11. */
function drivesTpm(lib: pkcs11js.PKCS11): boolean {
  try {
    return isTpm2Pkcs11(lib.C_GetInfo().manufacturerID.trimEnd());
  } catch {
    return false; // A module that cannot describe itself is not tpm2-pkcs11.
  }
}

/**
 * Loads and initializes the PKCS#11 module at `path`, if it is allowed
 * (allowedModules.ts). For SoftHSM2,
 * `softhsmConf` names the configuration file; SoftHSM2 reads it once at
 * C_Initialize, so the module must not already be open with another one.
 */
export function loadModule(path: string, softhsmConf?: string): LoadedModule {
  let entry = loaded.get(path);
  if (entry !== undefined && entry.softhsmConf !== softhsmConf) {
    throw new KmsError(
      'KMSInvalidStateException',
      'The PKCS#11 module is already open in this process with another token directory. Close the other vault first.',
    );
  }
  if (entry === undefined) {
    if (!existsSync(path)) {
      throw new KmsError('TokenModuleNotFoundException', `The PKCS#11 module ${path} does not exist. Check the path, or install the package that provides it.`);
    }
    assertModuleAllowed(path);
    const lib = new pkcs11js.PKCS11();
    try {
      lib.load(path);
    } catch (error) {
      throw new KmsError('TokenModuleNotFoundException', `The PKCS#11 module ${path} could not be loaded: ${error instanceof Error ? error.message : String(error)}.`);
    }
    const previousConf = process.env.SOFTHSM2_CONF;
    try {
      if (softhsmConf !== undefined) process.env.SOFTHSM2_CONF = softhsmConf;
      lib.C_Initialize();
    } catch (error) {
      lib.close();
      throw initializeFailure(path, error);
    } finally {
      if (softhsmConf !== undefined) {
        if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
        else process.env.SOFTHSM2_CONF = previousConf;
      }
    }
    entry = { lib, isTpm: drivesTpm(lib), refs: 0, softhsmConf };
    loaded.set(path, entry);
  }
  entry.refs += 1;
  const held = entry;
  let released = false;
  return {
    path,
    lib: held.lib,
    isTpm: held.isTpm,
    release() {
      if (released) return;
      released = true;
      held.refs -= 1;
      if (held.refs > 0) return;
      loaded.delete(path);
      try {
        held.lib.C_Finalize();
      } finally {
        held.lib.close();
      }
    },
  };
}
