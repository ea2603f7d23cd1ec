import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAuditLog } from '../../src-main/audit/verify';
import { runMaintenance } from '../../src-main/kms/engine/maintenance';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { TokenSession } from '../../src-main/hsm/token';
import { b64, call, failure } from '../helpers/kms';
import { makeExternalToken, pkcs11Tool, type ExternalToken } from '../helpers/softhsm';
import { tempDir } from '../helpers/temp';
import { makeVault } from '../helpers/vault';

// Keys on a token (AWS's CloudHSM key stores, for PKCS#11): one SoftHSM2 token directory with the vault's token and a second token, "Keys".

const KEYS_PIN = '13579246';
let token: ExternalToken;
let vault: Vault;
let keysUri: string;

beforeAll(() => {
  token = makeExternalToken('Vault Token', '246810');
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'Keys', '--so-pin', '87654321', '--pin', KEYS_PIN], { env: { ...process.env, SOFTHSM2_CONF: token.conf }, stdio: 'pipe' });
  vault = makeVault({ pkcs11: token.modulePath, tokenLabel: 'Vault Token', pin: token.pin }).vault;
  vault.unlock(token.pin);
  keysUri = `pkcs11:token=Keys?module-path=${token.modulePath}`;
});
afterAll(() => {
  vault.close();
});

const bytes = (base64: string | undefined): Buffer => Buffer.from(base64 ?? '', 'base64');
const describeStore = (id: string) => call(vault, 'DescribeCustomKeyStores', { CustomKeyStoreId: id }).CustomKeyStores?.[0];

/** Changes the Keys token's user PIN as another program would, through this process's module (SoftHSM2 reads its token files once). */
function changeKeysPin(from: string, to: string): void {
  const session = TokenSession.open(vault.use(({ session: own }) => own.module), { label: 'Keys' });
  try {
    session.login(from);
    session.setPin(from, to);
  } finally {
    session.close();
  }
}

/** The objects on the Keys token that pkcs11-tool (OpenSC) lists, logged in. */
function objectsOnKeysToken(): string {
  return pkcs11Tool(token.conf, ['--token-label', 'Keys', '--login', '--pin', KEYS_PIN, '--list-objects']).stdout;
}

describe('custom key stores on PKCS#11 tokens', () => {
  it('a store on another token: created disconnected, connected, and its keys are made and used on the token', () => {
    const { CustomKeyStoreId: id } = call(vault, 'CreateCustomKeyStore', { CustomKeyStoreName: 'ceremony HSM', TrustAnchorCertificate: keysUri, KeyStorePassword: KEYS_PIN });
    expect(id).toMatch(/^cks-[0-9a-f]{17}$/);
    expect(describeStore(id ?? '')).toMatchObject({ CustomKeyStoreName: 'ceremony HSM', CustomKeyStoreType: 'AWS_CLOUDHSM', ConnectionState: 'DISCONNECTED', CloudHsmClusterId: expect.stringMatching(/^cluster-[2-7a-z]{16}$/) as unknown });
    expect(describeStore(id ?? '')?.TrustAnchorCertificate).toMatch(/^pkcs11:token=Keys;serial=\w+\?module-path=/);
    expect(failure(vault, 'CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id })).toMatch(/^CustomKeyStoreInvalidStateException: .*disconnected/);

    call(vault, 'ConnectCustomKeyStore', { CustomKeyStoreId: id });
    expect(describeStore(id ?? '')?.ConnectionState).toBe('CONNECTED');
    const metadata = call(vault, 'CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id, Description: 'on the token' }).KeyMetadata;
    expect(metadata).toMatchObject({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id, CloudHsmClusterId: describeStore(id ?? '')?.CloudHsmClusterId, KeySpec: 'SYMMETRIC_DEFAULT', KeyState: 'Enabled' });
    const keyId = metadata?.KeyId ?? '';
    // OpenSC's pkcs11-tool sees the AES key on the token, sensitive and not extractable; the vault holds no material for it.
    const listed = objectsOnKeysToken();
    expect(listed).toContain(`strongroom ${keyId}`);
    expect(listed).toMatch(/never extractable|sensitive/);
    expect(vault.store.versions.list(keyId)).toEqual([]);

    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('sealed by the token'), EncryptionContext: { case: 'cks' } });
    expect(bytes(CiphertextBlob)[0]).toBe(0x03);
    expect(bytes(call(vault, 'Decrypt', { CiphertextBlob, EncryptionContext: { case: 'cks' } }).Plaintext).toString()).toBe('sealed by the token');
    expect(failure(vault, 'Decrypt', { CiphertextBlob, EncryptionContext: { case: 'other' } })).toMatch(/^InvalidCiphertextException/);
    const dataKey = call(vault, 'GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' });
    expect(call(vault, 'Decrypt', { CiphertextBlob: dataKey.CiphertextBlob }).Plaintext).toBe(dataKey.Plaintext);
    const moved = call(vault, 'ReEncrypt', { CiphertextBlob, SourceEncryptionContext: { case: 'cks' }, DestinationKeyId: call(vault, 'CreateKey', {}).KeyMetadata?.KeyId });
    expect(bytes(call(vault, 'Decrypt', { CiphertextBlob: moved.CiphertextBlob }).Plaintext).toString()).toBe('sealed by the token');
    expect(failure(vault, 'EnableKeyRotation', { KeyId: keyId })).toMatch(/^UnsupportedOperationException/);

    // Disconnected, the key cannot be used; the store cannot go while it holds a key.
    call(vault, 'DisconnectCustomKeyStore', { CustomKeyStoreId: id });
    expect(describeStore(id ?? '')?.ConnectionState).toBe('DISCONNECTED');
    expect(failure(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('x') })).toMatch(/^KMSInvalidStateException: .*disconnected/);
    expect(failure(vault, 'DeleteCustomKeyStore', { CustomKeyStoreId: id })).toMatch(/^CustomKeyStoreHasCMKsException/);

    // Connected again, it survives a lock: the session opens again on first use after the unlock.
    call(vault, 'ConnectCustomKeyStore', { CustomKeyStoreId: id });
    vault.lock();
    vault.unlock(token.pin);
    expect(bytes(call(vault, 'Decrypt', { CiphertextBlob, EncryptionContext: { case: 'cks' } }).Plaintext).toString()).toBe('sealed by the token');

    // A deleted key's object is destroyed on the token.
    call(vault, 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    runMaintenance(vault, Date.now() + 8 * 86_400_000);
    expect(failure(vault, 'DescribeKey', { KeyId: keyId })).toMatch(/^NotFoundException/);
    expect(objectsOnKeysToken()).not.toContain(`strongroom ${keyId}`);
    const deleted = [...exportAuditLog(vault.db)].map((line) => JSON.parse(line) as { eventName: string; serviceEventDetails?: Record<string, string> }).filter((r) => r.eventName === 'DeleteKey').at(-1);
    expect(deleted?.serviceEventDetails).toMatchObject({ customKeyStoreId: id, keyMaterialOnToken: 'destroyed' });

    call(vault, 'DisconnectCustomKeyStore', { CustomKeyStoreId: id });
    call(vault, 'DeleteCustomKeyStore', { CustomKeyStoreId: id });
    expect(failure(vault, 'DescribeCustomKeyStores', { CustomKeyStoreId: id })).toMatch(/^CustomKeyStoreNotFoundException/);
  });

  it('RSA, EC and HMAC keys are made on the token and every operation runs there; openssl verifies their signatures', () => {
    const { CustomKeyStoreId: id } = call(vault, 'CreateCustomKeyStore', { CustomKeyStoreName: 'signing HSM', TrustAnchorCertificate: keysUri, KeyStorePassword: KEYS_PIN });
    call(vault, 'ConnectCustomKeyStore', { CustomKeyStoreId: id });
    const onToken = (KeySpec: string, KeyUsage: string): string => call(vault, 'CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id, KeySpec, KeyUsage }).KeyMetadata?.KeyId ?? '';
    const dir = tempDir();
    const message = Buffer.from('signed on the token');
    const made: string[] = [];
    for (const [spec, algorithm, hash, options] of [
      ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', 'sha256', []],
      ['RSA_3072', 'RSASSA_PSS_SHA_384', 'sha384', ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest']],
      ['ECC_NIST_P256', 'ECDSA_SHA_256', 'sha256', []],
      ['ECC_NIST_P521', 'ECDSA_SHA_512', 'sha512', []],
      ['ECC_SECG_P256K1', 'ECDSA_SHA_256', 'sha256', []],
    ] as const) {
      const keyId = onToken(spec, 'SIGN_VERIFY');
      made.push(keyId);
      writeFileSync(join(dir, 'public.der'), bytes(call(vault, 'GetPublicKey', { KeyId: keyId }).PublicKey));
      execFileSync('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', join(dir, 'public.der'), '-out', join(dir, 'public.pem')]);
      writeFileSync(join(dir, 'message.bin'), message);
      for (const [type, given] of [['RAW', message], ['DIGEST', createHash(hash).update(message).digest()]] as const) {
        const signature = bytes(call(vault, 'Sign', { KeyId: keyId, Message: b64(given), MessageType: type, SigningAlgorithm: algorithm }).Signature);
        writeFileSync(join(dir, 'signature.bin'), signature);
        expect(() => execFileSync('openssl', ['dgst', `-${hash}`, ...options, '-verify', join(dir, 'public.pem'), '-signature', join(dir, 'signature.bin'), join(dir, 'message.bin')], { stdio: 'pipe' }), `${spec} ${type}`).not.toThrow();
        expect(call(vault, 'Verify', { KeyId: keyId, Message: b64(given), MessageType: type, Signature: b64(signature), SigningAlgorithm: algorithm }).SignatureValid).toBe(true);
        signature[8] = (signature[8] ?? 0) ^ 1;
        expect(failure(vault, 'Verify', { KeyId: keyId, Message: b64(given), MessageType: type, Signature: b64(signature), SigningAlgorithm: algorithm })).toMatch(/^KMSInvalidSignatureException: /);
      }
    }
    // ECDH on the token gives the secret node:crypto derives on the peer's side.
    const agreement = onToken('ECC_NIST_P384', 'KEY_AGREEMENT');
    made.push(agreement);
    const ours = createPublicKey({ key: bytes(call(vault, 'GetPublicKey', { KeyId: agreement }).PublicKey), format: 'der', type: 'spki' });
    const peer = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const { SharedSecret } = call(vault, 'DeriveSharedSecret', { KeyId: agreement, KeyAgreementAlgorithm: 'ECDH', PublicKey: b64(peer.publicKey.export({ type: 'spki', format: 'der' })) });
    expect(bytes(SharedSecret).equals(diffieHellman({ privateKey: peer.privateKey, publicKey: ours }))).toBe(true);
    // HMAC on the token: the same MAC each time, checked by the token, a changed one refused.
    const macKey = onToken('HMAC_384', 'GENERATE_VERIFY_MAC');
    made.push(macKey);
    const { Mac } = call(vault, 'GenerateMac', { KeyId: macKey, Message: b64('ledger'), MacAlgorithm: 'HMAC_SHA_384' });
    expect(bytes(Mac)).toHaveLength(48);
    expect(call(vault, 'GenerateMac', { KeyId: macKey, Message: b64('ledger'), MacAlgorithm: 'HMAC_SHA_384' }).Mac).toBe(Mac);
    expect(call(vault, 'VerifyMac', { KeyId: macKey, Message: b64('ledger'), MacAlgorithm: 'HMAC_SHA_384', Mac }).MacValid).toBe(true);
    expect(failure(vault, 'VerifyMac', { KeyId: macKey, Message: b64('ledgers'), MacAlgorithm: 'HMAC_SHA_384', Mac })).toMatch(/^KMSInvalidMacException: /);

    // OpenSC sees every key on the token, and nothing of them in the vault; deleted, each is destroyed there.
    const listed = objectsOnKeysToken();
    for (const keyId of made) {
      expect(listed).toContain(`strongroom ${keyId}`);
      expect(vault.store.versions.list(keyId)).toEqual([]);
      call(vault, 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    }
    runMaintenance(vault, Date.now() + 8 * 86_400_000);
    const after = objectsOnKeysToken();
    for (const keyId of made) expect(after).not.toContain(`strongroom ${keyId}`);
    call(vault, 'DisconnectCustomKeyStore', { CustomKeyStoreId: id });
    call(vault, 'DeleteCustomKeyStore', { CustomKeyStoreId: id });
  });

  it('the vault’s own token is a store that needs no password; its keys sit beside the root of trust', () => {
    const { CustomKeyStoreId: id } = call(vault, 'CreateCustomKeyStore', { CustomKeyStoreName: 'vault token', TrustAnchorCertificate: 'pkcs11:token=Vault%20Token' });
    call(vault, 'ConnectCustomKeyStore', { CustomKeyStoreId: id });
    const keyId = call(vault, 'CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id }).KeyMetadata?.KeyId;
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('own token') });
    expect(bytes(call(vault, 'Decrypt', { CiphertextBlob }).Plaintext).toString()).toBe('own token');
  });

  it('a store whose token PIN changed fails to connect, says why, and connects again once its password is updated', () => {
    const { CustomKeyStoreId: id } = call(vault, 'CreateCustomKeyStore', { CustomKeyStoreName: 'pin change', TrustAnchorCertificate: keysUri, KeyStorePassword: KEYS_PIN });
    changeKeysPin(KEYS_PIN, '97531864');
    try {
      call(vault, 'ConnectCustomKeyStore', { CustomKeyStoreId: id });
      expect(describeStore(id ?? '')).toMatchObject({ ConnectionState: 'FAILED', ConnectionErrorCode: 'INVALID_CREDENTIALS' });
      expect(failure(vault, 'ConnectCustomKeyStore', { CustomKeyStoreId: id })).toMatch(/^CustomKeyStoreInvalidStateException: .*failed to connect/);
      expect(failure(vault, 'GenerateRandom', { NumberOfBytes: 8, CustomKeyStoreId: id })).toMatch(/^CustomKeyStoreInvalidStateException/);
      call(vault, 'DisconnectCustomKeyStore', { CustomKeyStoreId: id });
      call(vault, 'UpdateCustomKeyStore', { CustomKeyStoreId: id, KeyStorePassword: '97531864' });
      call(vault, 'ConnectCustomKeyStore', { CustomKeyStoreId: id });
      expect(describeStore(id ?? '')?.ConnectionState).toBe('CONNECTED');
      expect(bytes(call(vault, 'GenerateRandom', { NumberOfBytes: 24, CustomKeyStoreId: id }).Plaintext)).toHaveLength(24);
    } finally {
      call(vault, 'DisconnectCustomKeyStore', { CustomKeyStoreId: id });
      changeKeysPin('97531864', KEYS_PIN);
      call(vault, 'DeleteCustomKeyStore', { CustomKeyStoreId: id });
    }
  });

  it('refuses what AWS refuses, and keeps the PIN out of the audit log', () => {
    const create = (request: Record<string, unknown>): string => failure(vault, 'CreateCustomKeyStore', { CustomKeyStoreName: 'x', TrustAnchorCertificate: keysUri, KeyStorePassword: KEYS_PIN, ...request });
    expect(create({ KeyStorePassword: '00000000' })).toMatch(/^IncorrectPinException|^ValidationException/);
    expect(create({ TrustAnchorCertificate: 'not a uri' })).toMatch(/^IncorrectTrustAnchorException/);
    expect(create({ TrustAnchorCertificate: `pkcs11:token=Nowhere?module-path=${token.modulePath}` })).toMatch(/^CloudHsmClusterNotFoundException/);
    expect(create({ CloudHsmClusterId: 'cluster-234567abcdefg' })).toMatch(/^CloudHsmClusterNotFoundException/);
    expect(create({ CustomKeyStoreType: 'EXTERNAL_KEY_STORE' })).toMatch(/^ValidationException/);
    const { CustomKeyStoreId: id } = call(vault, 'CreateCustomKeyStore', { CustomKeyStoreName: 'again', TrustAnchorCertificate: keysUri, KeyStorePassword: KEYS_PIN });
    expect(create({ CustomKeyStoreName: 'again' })).toMatch(/^CustomKeyStoreNameInUseException/);
    expect(create({ CustomKeyStoreName: 'another' })).toMatch(/^CloudHsmClusterInUseException/);
    expect(failure(vault, 'CreateKey', { CustomKeyStoreId: id })).toMatch(/^ValidationException: .*Origin AWS_CLOUDHSM/);
    call(vault, 'ConnectCustomKeyStore', { CustomKeyStoreId: id });
    expect(failure(vault, 'CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id, KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY' })).toMatch(/^UnsupportedOperationException: .*not ML_DSA_44 keys: they need CKM_ML_DSA/);
    expect(failure(vault, 'CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id, KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' })).toMatch(/^UnsupportedOperationException: .*needs CKM_EDDSA with Ed25519ph parameters/);
    // SoftHSM2 2.6 decrypts RSAES-OAEP with SHA-1 only: found by a probe at CreateKey, which leaves nothing behind.
    const keysBefore = vault.store.keys.count();
    expect(failure(vault, 'CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id, KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })).toMatch(/^UnsupportedOperationException: .*does not decrypt RSAES-OAEP with both SHA-1 and SHA-256/);
    expect(vault.store.keys.count()).toBe(keysBefore);
    expect(objectsOnKeysToken()).not.toMatch(/Public Key Object; RSA/);
    expect(failure(vault, 'CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: 'cks-00000000000000000' })).toMatch(/^CustomKeyStoreNotFoundException/);
    expect(failure(vault, 'UpdateCustomKeyStore', { CustomKeyStoreId: id, KeyStorePassword: KEYS_PIN })).toMatch(/^CustomKeyStoreInvalidStateException/);
    call(vault, 'UpdateCustomKeyStore', { CustomKeyStoreId: id, NewCustomKeyStoreName: 'renamed' });
    expect(describeStore(id ?? '')?.CustomKeyStoreName).toBe('renamed');
    expect(failure(vault, 'UpdateCustomKeyStore', { CustomKeyStoreId: id, CloudHsmClusterId: 'cluster-234567abcdefg' })).toMatch(/^CloudHsmClusterNotRelatedException/);
    expect(failure(vault, 'DeleteCustomKeyStore', { CustomKeyStoreId: id })).toMatch(/^CustomKeyStoreInvalidStateException/);
    call(vault, 'DisconnectCustomKeyStore', { CustomKeyStoreId: id });
    call(vault, 'DeleteCustomKeyStore', { CustomKeyStoreId: id });
    vault.audit.flush();
    const log = [...exportAuditLog(vault.db)].join('\n');
    expect(log).toContain('HIDDEN_DUE_TO_SECURITY_REASONS');
    expect(log).not.toContain(KEYS_PIN);
  });
});
