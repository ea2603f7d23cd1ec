import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicKey, randomBytes } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { afterEach, describe, expect, it } from 'vitest';
import { embeddedTokenPaths } from '../../src-main/hsm/embedded';
import { rootObjectId } from '../../src-main/hsm/rootOfTrust';
import { unwrapWithRsaKey } from '../../src-main/hsm/rootOfTrust/rsaKeyPair';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { invokeAsRoot } from '../helpers/kms';
import { embeddedTokenPin, makeVault, PIN, rootKeyCopy } from '../helpers/vault';
import { makeExternalToken, pkcs11Tool } from '../helpers/softhsm';
import { tempDir } from '../helpers/temp';

let open: Vault | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

function randomBase64(vault: Vault, n: number): string {
  const { Plaintext } = invokeAsRoot(vault, 'GenerateRandom', { NumberOfBytes: n }) as { Plaintext: string };
  return Plaintext;
}

/** pkcs11-tool (OpenSC) lists the token's objects: a reading of the token by a tool no one here wrote. */
function listObjects(conf: string, pin: string): string {
  const { status, stdout } = pkcs11Tool(conf, ['--login', '--pin', pin, '--list-objects']);
  expect(status).toBe(0);
  return stdout;
}

describe('root of trust: AES key-encryption key on the token', () => {
  it('creates a sensitive, non-extractable AES key bound to the vault and unlocks with it', () => {
    const { home, vault } = makeVault({ rootOfTrust: 'aes' });
    open = vault;
    expect(vault.status()).toMatchObject({ State: 'Locked', RootOfTrust: 'aes-gcm', Token: { Embedded: true, Label: 'Strongroom' } });
    vault.unlock(PIN);
    const first = rootKeyCopy(vault);
    expect(first).toHaveLength(32);
    expect(Buffer.from(randomBase64(vault, 32), 'base64')).toHaveLength(32);
    vault.lock();
    vault.unlock(PIN);
    expect(rootKeyCopy(vault).equals(first)).toBe(true);
    const tokenPin = embeddedTokenPin(vault);
    vault.close();
    open = undefined;

    const listing = listObjects(embeddedTokenPaths(home).conf, tokenPin);
    const vaultId = vault.record.vaultId;
    expect(listing).toContain(`label:      strongroom root ${vaultId}`);
    expect(listing).toMatch(/Secret Key Object; AES length 32/);
    expect(listing).toMatch(/Access:\s+sensitive, always sensitive, never extractable, local/);
    expect(listing).toContain(`ID:         ${rootObjectId(vaultId).toString('hex')}`);
  });
});

describe('root of trust: RSA key pair on the token', () => {
  it('probes OAEP hashes, falls back to SHA-1 on SoftHSM2, and unlocks with the private key', () => {
    const { vault } = makeVault({ rootOfTrust: 'rsa' });
    open = vault;
    // SoftHSM2 2.6 decrypts OAEP only with SHA-1; the probe must have found that out.
    expect(vault.status().RootOfTrust).toBe('rsa-oaep-sha1');
    vault.unlock(PIN);
    const first = rootKeyCopy(vault);
    vault.lock();
    vault.unlock(PIN);
    expect(rootKeyCopy(vault).equals(first)).toBe(true);
    expect(Buffer.from(randomBase64(vault, 1), 'base64')).toHaveLength(1);
  });

  it('decrypts on the token what openssl encrypted to the token public key with OAEP', () => {
    const { vault } = makeVault({ rootOfTrust: 'rsa' });
    open = vault;
    vault.unlock(PIN);
    const secret = randomBytes(32);
    const dir = tempDir();
    const recovered = vault.use(({ session }) => {
      const objectId = vault.record.rootObjectId;
      const [publicHandle] = session.findObjects([{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }, { type: pkcs11js.CKA_ID, value: objectId }], 'test');
      const [privateHandle] = session.findObjects([{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: objectId }], 'test');
      if (publicHandle === undefined || privateHandle === undefined) throw new Error('root-of-trust key pair not found');
      const [n, e] = session.call('test', (lib, h) => lib.C_GetAttributeValue(h, publicHandle, [{ type: pkcs11js.CKA_MODULUS }, { type: pkcs11js.CKA_PUBLIC_EXPONENT }]).map((a) => a.value));
      if (n === undefined || e === undefined) throw new Error('no RSA public key');
      const pem = createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') }, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      writeFileSync(join(dir, 'pub.pem'), pem);
      writeFileSync(join(dir, 'secret.bin'), secret);
      execFileSync('openssl', ['pkeyutl', '-encrypt', '-pubin', '-inkey', join(dir, 'pub.pem'), '-in', join(dir, 'secret.bin'), '-out', join(dir, 'wrapped.bin'), '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha1', '-pkeyopt', 'rsa_mgf1_md:sha1']);
      return unwrapWithRsaKey(session, privateHandle, 'sha1', readFileSync(join(dir, 'wrapped.bin')));
    });
    expect(recovered.equals(secret)).toBe(true);
  });
});

describe('root of trust on a token made outside Strongroom', () => {
  for (const rootOfTrust of ['aes', 'rsa'] as const) {
    it(`uses a softhsm2-util token by PKCS#11 URI (${rootOfTrust})`, () => {
      const token = makeExternalToken('Officer Token', '246810');
      const uri = `pkcs11:token=Officer%20Token?module-path=${token.modulePath}`;
      const { vault } = makeVault({ pkcs11: uri, pin: token.pin, rootOfTrust });
      open = vault;
      expect(vault.status()).toMatchObject({ Token: { Embedded: false, Label: 'Officer Token', Module: token.modulePath } });
      vault.unlock(token.pin);
      expect(randomBase64(vault, 16)).not.toBe(randomBase64(vault, 16));
    });
  }

  it('uses a module path with --token-label', () => {
    const token = makeExternalToken('ByPath', '246810');
    const { vault } = makeVault({ pkcs11: token.modulePath, tokenLabel: 'ByPath', pin: token.pin });
    open = vault;
    vault.unlock(token.pin);
    expect(vault.isUnlocked).toBe(true);
  });
});
