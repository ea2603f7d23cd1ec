import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { initVault } from '../../src-main/kms/lifecycle/init';
import { Vault } from '../../src-main/kms/lifecycle/vault';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import { cli } from '../helpers/cli';
import { b64, call, errorText, newKey } from '../helpers/kms';
import { tempDir } from '../helpers/temp';
import { softwareTpmForThisFile, TPM2_PKCS11_MODULE, TPM_TOKEN } from '../helpers/tpm';

const tpm = softwareTpmForThisFile();
const URI = `pkcs11:token=${encodeURIComponent(TPM_TOKEN.label)}?module-path=${TPM2_PKCS11_MODULE}`;

let open: Vault | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

/** A vault whose root of trust is an RSA key pair on the TPM token, opened and locked. */
function tpmVault(): Vault {
  const home = join(tempDir(), 'vault');
  initVault({ home, pin: TPM_TOKEN.pin, pkcs11: URI, rootOfTrust: 'rsa' });
  open = Vault.open(home);
  return open;
}

describe('a TPM 2.0 token through tpm2-pkcs11', () => {
  it('holds an RSA root of trust: init, unlock, and an Encrypt/Decrypt round trip', () => {
    const vault = tpmVault();
    expect(vault.status()).toMatchObject({ State: 'Locked', RootOfTrust: 'rsa-oaep-sha256', Token: { Embedded: false, Label: TPM_TOKEN.label } });
    vault.unlock(TPM_TOKEN.pin);
    const keyId = newKey(vault, 'on the TPM');
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('kept by the TPM'), EncryptionContext: { purpose: 'test' } });
    const { Plaintext } = call(vault, 'Decrypt', { CiphertextBlob, EncryptionContext: { purpose: 'test' } });
    expect(Buffer.from(Plaintext ?? '', 'base64').toString()).toBe('kept by the TPM');
    vault.lock();
    vault.unlock(TPM_TOKEN.pin);
    expect(call(vault, 'Decrypt', { CiphertextBlob, EncryptionContext: { purpose: 'test' } }).Plaintext).toBe(Plaintext);
  });

  it('works from the command line as the README shows: tokens, init with rsa, a KMS call', () => {
    const listed = cli(['tokens', '--pkcs11', URI]);
    expect(listed.status).toBe(0);
    expect(listed.json).toMatchObject({ Module: TPM2_PKCS11_MODULE, Tokens: [{ Label: TPM_TOKEN.label, Initialized: true }] });
    const env = { STRONGROOM_HOME: join(tempDir(), 'home'), STRONGROOM_PIN: TPM_TOKEN.pin };
    const init = cli(['init', '--pkcs11', URI, '--root-of-trust', 'rsa'], env);
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    const random = cli(['kms', 'generate-random', '--number-of-bytes', '16'], env);
    expect(random.status).toBe(0);
    expect(Buffer.from((random.json as { Plaintext: string }).Plaintext, 'base64')).toHaveLength(16);
  });

  it('refuses an AES root of trust, which needs AES-GCM the TPM does not offer, and leaves nothing behind', () => {
    const home = join(tempDir(), 'vault');
    expect(errorText(() => initVault({ home, pin: TPM_TOKEN.pin, pkcs11: URI, rootOfTrust: 'aes' }))).toBe(
      `MechanismNotSupportedException: The token "${TPM_TOKEN.label}" does not offer AES-GCM. Use --root-of-trust rsa with this token.`,
    );
    expect(existsSync(vaultFiles(home).db)).toBe(false);
  });

  it('is a custom key store for RSA and P-256 signing keys and RSA encryption keys, made and used on the TPM and checked by openssl; AES keys are refused by mechanism', () => {
    const vault = tpmVault();
    vault.unlock(TPM_TOKEN.pin);
    const { CustomKeyStoreId: id } = call(vault, 'CreateCustomKeyStore', { CustomKeyStoreName: 'TPM', TrustAnchorCertificate: URI });
    call(vault, 'ConnectCustomKeyStore', { CustomKeyStoreId: id });
    expect(errorText(() => call(vault, 'CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id }))).toMatch(/^UnsupportedOperationException: The token "Strongroom TPM" lacks .*CKM_AES_GCM, which SYMMETRIC_DEFAULT keys for ENCRYPT_DECRYPT need\.$/);
    const dir = tempDir();
    const message = Buffer.from('signed by the TPM');
    writeFileSync(join(dir, 'message.bin'), message);
    for (const [spec, algorithm, options] of [
      ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', []],
      ['RSA_2048', 'RSASSA_PSS_SHA_256', ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest']],
      ['ECC_NIST_P256', 'ECDSA_SHA_256', []],
    ] as const) {
      const keyId = call(vault, 'CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id, KeySpec: spec, KeyUsage: 'SIGN_VERIFY' }).KeyMetadata?.KeyId ?? '';
      writeFileSync(join(dir, 'public.der'), Buffer.from(call(vault, 'GetPublicKey', { KeyId: keyId }).PublicKey ?? '', 'base64'));
      execFileSync('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', join(dir, 'public.der'), '-out', join(dir, 'public.pem')]);
      const signature = Buffer.from(call(vault, 'Sign', { KeyId: keyId, Message: b64(message), SigningAlgorithm: algorithm }).Signature ?? '', 'base64');
      writeFileSync(join(dir, 'signature.bin'), signature);
      expect(() => execFileSync('openssl', ['dgst', '-sha256', ...options, '-verify', join(dir, 'public.pem'), '-signature', join(dir, 'signature.bin'), join(dir, 'message.bin')], { stdio: 'pipe' }), `${spec} ${algorithm}`).not.toThrow();
      expect(call(vault, 'Verify', { KeyId: keyId, Message: b64(message), Signature: b64(signature), SigningAlgorithm: algorithm }).SignatureValid).toBe(true);
    }
    // An RSA key for ENCRYPT_DECRYPT: openssl encrypts to its public key, the TPM decrypts (OAEP with SHA-256 and SHA-1).
    const encrypter = call(vault, 'CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id, KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }).KeyMetadata?.KeyId ?? '';
    writeFileSync(join(dir, 'public.der'), Buffer.from(call(vault, 'GetPublicKey', { KeyId: encrypter }).PublicKey ?? '', 'base64'));
    for (const [algorithm, hash] of [['RSAES_OAEP_SHA_256', 'sha256'], ['RSAES_OAEP_SHA_1', 'sha1']] as const) {
      execFileSync('openssl', ['pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', join(dir, 'public.der'), '-in', join(dir, 'message.bin'), '-out', join(dir, 'sealed.bin'), '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${hash}`, '-pkeyopt', `rsa_mgf1_md:${hash}`]);
      const opened = call(vault, 'Decrypt', { KeyId: encrypter, CiphertextBlob: readFileSync(join(dir, 'sealed.bin')).toString('base64'), EncryptionAlgorithm: algorithm });
      expect(Buffer.from(opened.Plaintext ?? '', 'base64').equals(message), algorithm).toBe(true);
    }
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: encrypter, Plaintext: b64('to the TPM'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    expect(Buffer.from(call(vault, 'Decrypt', { KeyId: encrypter, CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }).Plaintext ?? '', 'base64').toString()).toBe('to the TPM');
    expect(errorText(() => call(vault, 'Decrypt', { KeyId: encrypter, CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }))).toMatch(/^InvalidCiphertextException: /);
  });

  it('says that C_Initialize failed, and what to check, when the TPM cannot be reached', () => {
    const tcti = process.env.TPM2_PKCS11_TCTI;
    process.env.TPM2_PKCS11_TCTI = 'swtpm:host=127.0.0.1,port=1';
    try {
      const text = errorText(() => initVault({ home: join(tempDir(), 'vault'), pin: TPM_TOKEN.pin, pkcs11: URI, rootOfTrust: 'rsa' }));
      expect(text).toMatch(/^TokenNotFoundException: The PKCS#11 module \S+libtpm2_pkcs11\.so loaded, but its C_Initialize failed with CKR_GENERAL_ERROR\./);
      expect(text).toContain('tpm2-abrmd');
      expect(text).toContain('TPM2_PKCS11_TCTI');
      expect(text).not.toContain('could not be loaded');
    } finally {
      process.env.TPM2_PKCS11_TCTI = tcti;
    }
  });

  it('gives the TPM\'s own advice when its dictionary-attack lockout refuses the PIN, and unlocks once it is cleared', async () => {
    const vault = tpmVault();
    await tpm().tool('tpm2_dictionarylockout', ['--setup-parameters', '--max-tries=2', '--recovery-time=600', '--lockout-recovery-time=600']);
    let attempts: string[];
    try {
      attempts = [1, 2, 3].map(() => errorText(() => { vault.unlock('000000'); }));
      attempts.push(errorText(() => { vault.unlock(TPM_TOKEN.pin); }));
    } finally {
      await tpm().tool('tpm2_dictionarylockout', ['--clear-lockout']);
    }
    expect(attempts[0]).toMatch(/^IncorrectPinException: The PIN is incorrect\. Each wrong PIN counts toward the TPM's dictionary-attack lockout/);
    const locked = attempts[2] ?? '';
    expect(locked).toMatch(/^PinLockedException: The TPM is in dictionary-attack lockout/);
    expect(locked).toContain('tpm2_dictionarylockout --clear-lockout');
    expect(locked).not.toContain('pkcs11-tool');
    expect(attempts[3]).toBe(locked);

    vault.unlock(TPM_TOKEN.pin);
    expect(vault.isUnlocked).toBe(true);
  });

  // Last: the TPM does not come back.
  it('locks the unlocked vault with reason token-removed when the TPM goes away', async () => {
    const vault = tpmVault();
    vault.unlock(TPM_TOKEN.pin);
    const reasons: string[] = [];
    vault.onLock((reason) => reasons.push(reason));
    await tpm().removeTpm();
    await vi.waitFor(() => { expect(vault.isUnlocked).toBe(false); }, { timeout: 30_000, interval: 200 });
    expect(reasons).toEqual(['token-removed']);
    expect(vault.status().LockReason).toBe('Locked because the token was removed or stopped answering.');
    expect(errorText(() => newKey(vault))).toMatch(/^VaultLockedException: The vault is locked\. Locked because the token was removed/);
  });
});
