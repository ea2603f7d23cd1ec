import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokensOfModule } from '../../src-main/hsm/tokensOfModule';
import { initVault } from '../../src-main/kms/lifecycle/init';
import { Vault } from '../../src-main/kms/lifecycle/vault';
import { errorText } from '../helpers/kms';
import { makeExternalToken, type ExternalToken } from '../helpers/softhsm';
import { tempDir } from '../helpers/temp';

let first: ExternalToken;
let second: { label: string; serial: string; slotId: string };

/** Two SoftHSM2 tokens in one token directory: "First", then "Second". */
beforeAll(() => {
  first = makeExternalToken('First', '246810');
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'Second', '--so-pin', first.soPin, '--pin', first.pin], { env: process.env, stdio: 'pipe' });
  const found = tokensOfModule(first.modulePath).Tokens.find((t) => t.Label === 'Second');
  if (found === undefined) throw new Error('softhsm2-util made no second token');
  second = { label: found.Label, serial: found.Serial, slotId: found.SlotId };
});

let open: Vault | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

const uri = (path: string): string => `pkcs11:${path}?module-path=${first.modulePath}`;

/** The label of the token a vault made with `pkcs11` sits on. */
function tokenOfNewVault(pkcs11: string): string {
  const home = join(tempDir(), 'vault');
  initVault({ home, pin: first.pin, pkcs11, rootOfTrust: 'aes' });
  open = Vault.open(home);
  return open.record.tokenLabel;
}

describe('a PKCS#11 URI selects the token', () => {
  it('by token label, serial or slot-id, not whichever token comes first', () => {
    expect(tokenOfNewVault(uri('token=Second'))).toBe('Second');
    open?.close();
    expect(tokenOfNewVault(uri(`serial=${second.serial}`))).toBe('Second');
    open?.close();
    expect(tokenOfNewVault(uri(`slot-id=${second.slotId}`))).toBe('Second');
    open?.close();
    expect(tokenOfNewVault(uri('token=First;manufacturer=SoftHSM%20project;model=SoftHSM%20v2'))).toBe('First');
  });

  it('refuses a URI that matches no token, naming what is there', () => {
    const home = join(tempDir(), 'vault');
    for (const path of ['token=Third', 'token=Second;serial=0', 'model=Other', 'manufacturer=Other', 'slot-id=4242']) {
      const text = errorText(() => initVault({ home, pin: first.pin, pkcs11: uri(path), rootOfTrust: 'aes' }));
      expect(text).toMatch(/^TokenNotFoundException: No token with .* Tokens present: /);
      expect(text).toContain('"First" (serial ');
      expect(text).toContain('"Second" (serial ');
    }
  });

  it('refuses a URI that matches more than one token', () => {
    const text = errorText(() => initVault({ home: join(tempDir(), 'vault'), pin: first.pin, pkcs11: uri('manufacturer=SoftHSM%20project'), rootOfTrust: 'aes' }));
    expect(text).toMatch(/^TokenNotFoundException: More than one token matches manufacturer "SoftHSM project"/);
  });

  it('lists only the tokens the URI selects, and refuses one that selects none', () => {
    expect(tokensOfModule(uri('token=Second')).Tokens.map((t) => t.Label)).toEqual(['Second']);
    expect(tokensOfModule(first.modulePath).Tokens.map((t) => t.Label)).toEqual(expect.arrayContaining(['First', 'Second']));
    expect(errorText(() => tokensOfModule(uri('token=Third')))).toMatch(/^TokenNotFoundException: No token with label "Third"/);
  });
});
