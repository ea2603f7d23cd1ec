import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tokensOfModule } from '../../src-main/hsm/tokensOfModule';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { openVault } from '../../src-main/bootstrap';
import { cli, errorOf } from '../helpers/cli';
import { errorText } from '../helpers/kms';
import { makeExternalToken } from '../helpers/softhsm';
import { tempDir } from '../helpers/temp';
import { makeVault } from '../helpers/vault';

/** A shared library that, once loaded, writes `marker`: what an attacker's module would do before it reads the PIN. */
function evilModule(dir: string, marker: string): string {
  const source = join(dir, 'evil.c');
  writeFileSync(source, `#include <stdio.h>\n__attribute__((constructor)) static void run(void) { FILE *f = fopen("${marker}", "w"); if (f) { fputs("ran", f); fclose(f); } }\n`);
  const library = join(dir, 'libevil.so');
  execFileSync('gcc', ['-shared', '-fPIC', '-o', library, source]);
  return library;
}

function setModulePath(home: string, path: string): void {
  const db = new Database(join(home, 'vault.sqlite'));
  db.prepare('UPDATE vault SET module_path = ?').run(path);
  db.close();
}

let open: Vault | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

describe('PKCS#11 modules load only from allowed directories', () => {
  it('refuses, before loading it, a module path rewritten in the vault file', () => {
    const token = makeExternalToken('Rewritten', '246810');
    const { home, vault } = makeVault({ pkcs11: token.modulePath, tokenLabel: 'Rewritten', pin: token.pin });
    vault.close();
    const dir = tempDir();
    const marker = join(dir, 'ran');
    setModulePath(home, evilModule(dir, marker));
    open = openVault(home, 'app');
    const reopened = open;
    expect(errorText(() => {
      reopened.unlock(token.pin);
    })).toMatch(/^TokenModuleNotAllowedException: .*not in an allowed directory.*STRONGROOM_PKCS11_ALLOW/);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a module in an allowed directory that others can write, and a link that leads out of it', () => {
    const allowed = tempDir();
    const elsewhere = tempDir();
    const marker = join(elsewhere, 'ran');
    const library = evilModule(allowed, marker);
    const env = { STRONGROOM_PKCS11_ALLOW: allowed };
    chmodSync(library, 0o777);
    expect(errorOf(cli(['tokens', '--pkcs11', library], env)).message).toMatch(/others can write it/);
    chmodSync(library, 0o755);
    chmodSync(allowed, 0o777);
    expect(errorOf(cli(['tokens', '--pkcs11', library], env)).message).toMatch(/others can write .*strongroom-/);
    chmodSync(allowed, 0o755);
    const outside = evilModule(elsewhere, marker);
    symlinkSync(outside, join(allowed, 'link.so'));
    expect(errorOf(cli(['tokens', '--pkcs11', join(allowed, 'link.so')], env)).message).toMatch(/resolves to .*which is not in an allowed directory/);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a token listing of a module outside the allowed directories, as the interface asks it while locked', () => {
    const dir = tempDir();
    const marker = join(dir, 'ran');
    const library = evilModule(dir, marker);
    expect(errorText(() => tokensOfModule(library))).toMatch(/^TokenModuleNotAllowedException:/);
    expect(errorText(() => tokensOfModule(`pkcs11:token=x?module-path=${library}`))).toMatch(/^TokenModuleNotAllowedException:/);
    expect(errorOf(cli(['tokens', '--pkcs11', library])).__type).toBe('TokenModuleNotAllowedException');
    expect(existsSync(marker)).toBe(false);
  });

  it('loads a module from a directory the user allows outside the vault', () => {
    const dir = tempDir();
    const marker = join(dir, 'ran');
    const library = evilModule(dir, marker);
    chmodSync(dir, 0o755);
    // Allowed, it loads (and, having no PKCS#11 functions, fails after); the marker shows it was loaded.
    expect(errorOf(cli(['tokens', '--pkcs11', library], { STRONGROOM_PKCS11_ALLOW: dir })).__type).toBe('TokenModuleNotFoundException');
    expect(existsSync(marker)).toBe(true);
  });
});
