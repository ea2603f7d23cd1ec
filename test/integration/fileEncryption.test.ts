import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, KmsKeyringNode, RawAesKeyringNode, RawAesWrappingSuiteIdentifier, RawRsaKeyringNode } from '@aws-crypto/client-node';
import { createCipheriv, createDecipheriv, createHash, createPublicKey, diffieHellman, ECDH, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { decryptMessage, itemsAndResult, type Opened } from '../../src-main/envelope/decryptMessage';
import { encryptMessage } from '../../src-main/envelope/encryptMessage';
import { planEncryption, type FileEncryption } from '../../src-main/envelope/plan';
import { DataKeyCache } from '../../src-main/envelope/dataKeyCache';
import { ecdhKeys, openEcdhDataKey } from '../../src-main/envelope/ecdh';
import { parseHeaderBody, serializeContext, type HeaderBody } from '../../src-main/envelope/header';
import { openDataKey, recipientOfKey, rsaKeyName, type KmsCall } from '../../src-main/envelope/recipients';
import { call, errorText, invokeAsRoot } from '../helpers/kms';
import { kmsClient } from '../helpers/sdkClient';
import { unlockedVaultForFile } from '../helpers/vault';

let vault: Vault;
unlockedVaultForFile((made) => {
  vault = made;
});

const kms: KmsCall = (name, request) => Promise.resolve(invokeAsRoot(vault, name, request) as Record<string, unknown>);
const newKey = (request: Record<string, unknown> = {}): string => call(vault, 'CreateKey', request).KeyMetadata?.Arn ?? '';

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** A message of `plaintext`, fed in chunks of `chunk` bytes. */
async function encrypt(plaintext: Buffer, request: FileEncryption, chunk = 1000): Promise<Buffer> {
  const plan = await planEncryption(kms, request);
  const pieces = Array.from({ length: Math.ceil(plaintext.length / chunk) }, (_, i) => plaintext.subarray(i * chunk, (i + 1) * chunk));
  try {
    return await collect(encryptMessage(plan, pieces));
  } finally {
    plan.dataKey.fill(0);
  }
}

async function decrypt(message: Buffer): Promise<{ plaintext: Buffer; opened: Opened | undefined }> {
  const { items, result } = itemsAndResult(decryptMessage([message], (header) => openDataKey(kms, header)));
  const plaintext = await collect(items);
  return { plaintext, opened: result() };
}

/** 'no error' or the error's text, for a decryption that must fail. */
async function refusal(message: Buffer): Promise<string> {
  try {
    await decrypt(message);
  } catch (error) {
    return errorText(() => {
      throw error;
    });
  }
  return 'no error';
}

const FRAME = 64;

describe('files encrypted to share (the Encryption SDK message format 2.0)', () => {
  it('round-trips 0 and 1 bytes, a frame less one, a frame, a frame and one, many frames; signed and unsigned; for a KMS key and for an RSA key of the vault', async () => {
    const symmetric = newKey();
    const rsa = newKey({ KeySpec: 'RSA_3072', KeyUsage: 'ENCRYPT_DECRYPT' });
    const rsaSpki = Buffer.from(String(call(vault, 'GetPublicKey', { KeyId: rsa }).PublicKey), 'base64');
    const signer = newKey({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' });
    for (const size of [0, 1, FRAME - 1, FRAME, FRAME + 1, 10 * FRAME + 7]) {
      const plaintext = randomBytes(size);
      for (const recipients of [[{ kind: 'kms' as const, keyId: symmetric }], [{ kind: 'rsa' as const, spki: rsaSpki }]]) {
        for (const signKeyId of [undefined, signer]) {
          const message = await encrypt(plaintext, { recipients, context: { purpose: 'test' }, frameLength: FRAME, ...(signKeyId === undefined ? {} : { signKeyId }) }, 50);
          const { plaintext: back, opened } = await decrypt(message);
          expect(back.equals(plaintext)).toBe(true);
          expect(opened?.header.context.purpose).toBe('test');
          expect(opened?.signerPublicKey?.toString('base64')).toBe(signKeyId === undefined ? undefined : call(vault, 'GetPublicKey', { KeyId: signer }).PublicKey);
        }
      }
    }
  });

  it('is opened by EC key agreement keys of the vault (P-256, P-384, P-521), through DeriveSharedSecret, as the raw ECDH keyring writes it', async () => {
    // Key provider info lengths of the Material Providers Library's raw ECDH keyring: 1 + 4 + compressed point + 4 + compressed point.
    const infoLengths = { ECC_NIST_P256: 75, ECC_NIST_P384: 107, ECC_NIST_P521: 143 };
    for (const [KeySpec, infoLength] of Object.entries(infoLengths)) {
      const keyId = newKey({ KeySpec, KeyUsage: 'KEY_AGREEMENT' });
      const recipient = await recipientOfKey(kms, keyId);
      expect(recipient.kind).toBe('ec');
      const plaintext = randomBytes(3 * FRAME + 5);
      const message = await encrypt(plaintext, { recipients: [recipient], context: { project: 'alpha' }, frameLength: FRAME });
      const edk = parseHeaderBody(message)?.header.dataKeys[0];
      expect(edk?.providerId).toBe('raw-ecdh');
      expect(edk?.providerInfo.length).toBe(infoLength);
      expect(edk?.ciphertext.length).toBe(32 + 32 + 32 + 16);
      const { plaintext: back } = await decrypt(message);
      expect(back.equals(plaintext)).toBe(true);
    }
  });

  it('binds an EC recipient’s data key to the context and its commitment key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const message = await encrypt(Buffer.from('for an outside key'), { recipients: [{ kind: 'ec', spki }], context: { project: 'alpha' } });
    const edk = parseHeaderBody(message)?.header.dataKeys[0];
    if (edk === undefined) throw new Error('no data key');
    const senderKey = ecdhKeys(edk)?.sender ?? Buffer.alloc(0);
    const senderPoint = ECDH.convertKey(senderKey, 'secp384r1', undefined, undefined, 'uncompressed') as Buffer;
    const senderPublic = createPublicKey({ key: { kty: 'EC', crv: 'P-384', x: senderPoint.subarray(1, 49).toString('base64url'), y: senderPoint.subarray(49).toString('base64url') }, format: 'jwk' });
    const shared = diffieHellman({ privateKey, publicKey: senderPublic });
    expect(openEcdhDataKey(edk, 'secp384r1', shared, { project: 'alpha' })).toHaveLength(32);
    expect(openEcdhDataKey(edk, 'secp384r1', shared, { project: 'beta' })).toBeUndefined();
    const changed = { ...edk, ciphertext: Buffer.from(edk.ciphertext) };
    changed.ciphertext[40] = (changed.ciphertext[40] ?? 0) ^ 1;
    expect(openEcdhDataKey(changed, 'secp384r1', shared, { project: 'alpha' })).toBeUndefined();
    expect(await refusal(message)).toMatch(/^InvalidCiphertextException: No key of this vault opens the file: it was encrypted for EC public key SHA256:/);
  });

  it('reuses a data key within the cache’s limits (messages, bytes, age), each message still its own; not for a message of unknown size; zero-filled when dropped', async () => {
    const keyId = newKey();
    let encrypts = 0;
    const counting: KmsCall = (name, request) => {
      if (name === 'Encrypt') encrypts += 1;
      return kms(name, request);
    };
    let clock = 1_000_000;
    const cache = new DataKeyCache(counting, { maxAge: 60, maxMessages: 3, maxBytes: 45 }, () => clock);
    const request: FileEncryption = { recipients: [{ kind: 'kms', keyId }], context: { batch: '1' } };
    const planned: Awaited<ReturnType<DataKeyCache['plan']>>[] = [];
    for (let i = 0; i < 4; i += 1) planned.push(await cache.plan(request, 10));
    expect(encrypts).toBe(2);
    expect(planned.map((p) => p.plan.dataKey === planned[0]?.plan.dataKey)).toEqual([true, true, true, false]);
    const messages = await Promise.all(planned.map(({ plan }) => collect(encryptMessage(plan, [Buffer.from('small file')]))));
    expect(new Set(messages.map((m) => parseHeaderBody(m)?.header.messageId.toString('hex'))).size).toBe(4);
    for (const message of messages) expect((await decrypt(message)).plaintext.toString()).toBe('small file');
    expect(planned[0]?.plan.dataKey.equals(Buffer.alloc(32))).toBe(false); // dropped while three messages were being written with it
    for (const { done } of planned) done();
    expect(planned[0]?.plan.dataKey.equals(Buffer.alloc(32))).toBe(true);

    await cache.plan(request, 30); // 10 + 30 bytes: within 45
    await cache.plan(request, 10); // 50: past 45, a new key
    expect(encrypts).toBe(3);
    clock += 61_000;
    await cache.plan(request, 1);
    expect(encrypts).toBe(4);
    await cache.plan({ ...request, context: { batch: '2' } }, 1);
    expect(encrypts).toBe(5);
    const unknown = await cache.plan(request, undefined);
    expect(encrypts).toBe(6);
    unknown.done();
    expect(unknown.plan.dataKey.equals(Buffer.alloc(32))).toBe(true);
    const kept = await cache.plan(request, 1);
    kept.done();
    expect(kept.plan.dataKey.equals(Buffer.alloc(32))).toBe(false);
    cache.close();
    expect(kept.plan.dataKey.equals(Buffer.alloc(32))).toBe(true);

    const off = new DataKeyCache(counting, undefined);
    const [a, b] = [await off.plan(request, 1), await off.plan(request, 1)];
    expect(a.plan.dataKey === b.plan.dataKey).toBe(false);
    expect(encrypts).toBe(9);
    expect(() => new DataKeyCache(counting, { maxAge: 0 })).toThrow(/maximum age above 0/);
  });

  it('streams a 4 GiB file made on the fly through encryption and decryption in constant memory', async () => {
    const keyId = newKey();
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const total = 4096;
    function* made(): Generator<Buffer> {
      for (let i = 0; i < total; i += 1) yield chunk;
    }
    const plan = await planEncryption(kms, { recipients: [{ kind: 'kms', keyId }] });
    const before = process.memoryUsage().rss;
    let peak = before;
    let bytes = 0;
    const hash = createHash('sha256');
    const { items, result } = itemsAndResult(decryptMessage(encryptMessage(plan, made()), (header) => openDataKey(kms, header)));
    for await (const plaintext of items) {
      bytes += plaintext.length;
      hash.update(plaintext);
      if ((bytes & 0x3ffffff) < plaintext.length) peak = Math.max(peak, process.memoryUsage().rss);
    }
    plan.dataKey.fill(0);
    const expected = createHash('sha256');
    for (let i = 0; i < total; i += 1) expected.update(chunk);
    expect(bytes).toBe(total * chunk.length);
    expect(hash.digest('hex')).toBe(expected.digest('hex'));
    expect(result()?.header.frameLength).toBe(65536);
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('is opened by each of several recipients alone', async () => {
    const [first, second] = [newKey(), newKey()];
    const message = await encrypt(Buffer.from('for both'), { recipients: [{ kind: 'kms', keyId: first }, { kind: 'kms', keyId: second }] });
    call(vault, 'DisableKey', { KeyId: first });
    expect((await decrypt(message)).plaintext.toString()).toBe('for both');
    call(vault, 'EnableKey', { KeyId: first });
    call(vault, 'DisableKey', { KeyId: second });
    expect((await decrypt(message)).plaintext.toString()).toBe('for both');
    call(vault, 'DisableKey', { KeyId: first });
    expect(await refusal(message)).toMatch(/^InvalidCiphertextException: No key of this vault opens the file: it was encrypted for arn:aws:kms:.*DisabledException/);
  });

  it('refuses every single-bit flip, every truncation, and frames swapped or repeated, saying what failed', async () => {
    const keyId = newKey();
    const signer = newKey({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' });
    for (const signKeyId of [undefined, signer]) {
      const message = await encrypt(randomBytes(40), { recipients: [{ kind: 'kms', keyId }], frameLength: 16, ...(signKeyId === undefined ? {} : { signKeyId }) });
      for (let bit = 0; bit < message.length * 8; bit += 1) {
        const flipped = Buffer.from(message);
        flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        expect(await refusal(flipped), `bit ${String(bit)}`).toMatch(/^[A-Za-z]+Exception: /);
      }
      for (let length = 0; length < message.length; length += 1) expect(await refusal(message.subarray(0, length)), `cut at ${String(length)}`).toMatch(/^InvalidCiphertextException: /);
      expect(await refusal(Buffer.concat([message, Buffer.from([0])]))).toMatch(/^InvalidCiphertextException: The file goes on after the end/);
    }
    // Frames of 16 bytes: each regular frame is 4 + 12 + 16 + 16 = 48 bytes, after the header (its end found from the first frame's sequence number).
    const message = await encrypt(randomBytes(40), { recipients: [{ kind: 'kms', keyId }], frameLength: 16 });
    const first = message.indexOf(Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]));
    const [header, one, two, rest] = [message.subarray(0, first), message.subarray(first, first + 48), message.subarray(first + 48, first + 96), message.subarray(first + 96)];
    expect(await refusal(Buffer.concat([header, two, one, rest]))).toMatch(/^InvalidCiphertextException: Frame 1 is numbered 2: frames were moved, repeated or left out/);
    expect(await refusal(Buffer.concat([header, one, one, two, rest]))).toMatch(/^InvalidCiphertextException: Frame 2 is numbered 1/);
    expect(await refusal(Buffer.concat([header, one, rest]))).toMatch(/^InvalidCiphertextException: Frame 2/);
  });

  it('refuses what it cannot do: no recipient, a reserved context key, a signing key that is not P-384', async () => {
    const keyId = newKey();
    await expect(planEncryption(kms, { recipients: [] })).rejects.toThrow(/Name at least one recipient/);
    await expect(planEncryption(kms, { recipients: [{ kind: 'kms', keyId }], context: { 'aws-crypto-public-key': 'x' } })).rejects.toThrow(/reserved/);
    const p256 = newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await expect(planEncryption(kms, { recipients: [{ kind: 'kms', keyId }], signKeyId: p256 })).rejects.toThrow(/is a ECC_NIST_P256 key for SIGN_VERIFY: a file is signed by an ECC_NIST_P384 key/);
  });
});

describe('interoperability with the AWS Encryption SDK for JavaScript', () => {
  const sdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

  it("opens, with its KMS keyring, what Strongroom encrypted for a KMS key, signed or not; Strongroom opens what the SDK's KMS keyring encrypted", async () => {
    const keyId = newKey();
    const signer = newKey({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' });
    // The SDK v3 client's types and the keyring's disagree only under exactOptionalPropertyTypes.
    const keyring = new KmsKeyringNode({ generatorKeyId: keyId, clientProvider: (() => kmsClient(vault)) as never });
    const plaintext = randomBytes(3 * FRAME + 5);
    for (const signKeyId of [undefined, signer]) {
      const message = await encrypt(plaintext, { recipients: [{ kind: 'kms', keyId }], context: { team: 'red' }, frameLength: FRAME, ...(signKeyId === undefined ? {} : { signKeyId }) });
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- KmsKeyringNode is the SDK's own keyring, made by a mixin the rule cannot follow
      const opened = await sdk.decrypt(keyring, message);
      expect(Buffer.from(opened.plaintext).equals(plaintext)).toBe(true);
      expect(opened.messageHeader.encryptionContext.team).toBe('red');
      expect(opened.messageHeader.suiteId).toBe(signKeyId === undefined ? 0x0478 : 0x0578);
    }
    const { ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY: committed, ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384: signed } = AlgorithmSuiteIdentifier;
    for (const suiteId of [committed, signed]) {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- as above
      const { result } = await sdk.encrypt(keyring, plaintext, { encryptionContext: { team: 'blue' }, suiteId, frameLength: 100 });
      const { plaintext: back, opened } = await decrypt(Buffer.from(result));
      expect(back.equals(plaintext)).toBe(true);
      expect(opened?.header.context.team).toBe('blue');
    }
  });

  it("opens, with its raw RSA keyring, what Strongroom encrypted for an RSA public key; Strongroom opens, with a vault RSA key, what the SDK encrypted for its public key", async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const plaintext = randomBytes(1000);
    const message = await encrypt(plaintext, { recipients: [{ kind: 'rsa', spki }], frameLength: FRAME });
    const theirs = new RawRsaKeyringNode({ keyNamespace: 'strongroom', keyName: rsaKeyName(spki), rsaKey: { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }, oaepHash: 'sha256' });
    expect(Buffer.from((await sdk.decrypt(theirs, message)).plaintext).equals(plaintext)).toBe(true);

    const vaultRsa = newKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    const vaultSpki = Buffer.from(String(call(vault, 'GetPublicKey', { KeyId: vaultRsa }).PublicKey), 'base64');
    const toVault = new RawRsaKeyringNode({ keyNamespace: 'strongroom', keyName: rsaKeyName(vaultSpki), rsaKey: { publicKey: createPublicKey({ key: vaultSpki, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString() }, oaepHash: 'sha256' });
    const { result } = await sdk.encrypt(toVault, plaintext, { suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY });
    expect((await decrypt(Buffer.from(result))).plaintext.equals(plaintext)).toBe(true);
  });

  it('reads and writes messages whose data keys the raw AES keyring wraps: the format is the SDK’s whatever the keyring', async () => {
    // The SDK zero-fills the key it is given, hence the copy. The raw AES keyring's encrypted data key: info = key name ‖ tag length in bits (4 bytes) ‖ IV length (4 bytes) ‖ IV; ciphertext = wrapped key ‖ tag; AAD = the serialized context.
    const wrappingKey = randomBytes(32);
    const keyring = new RawAesKeyringNode({ keyNamespace: 'lab', keyName: 'shared-aes', unencryptedMasterKey: new Uint8Array(wrappingKey), wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING });
    const unwrap = (header: HeaderBody): Promise<Buffer> => {
      const edk = header.dataKeys.find((key) => key.providerId === 'lab');
      if (edk === undefined) throw new Error('no data key for the AES key');
      const nameLength = edk.providerInfo.length - 8 - 12;
      const decipher = createDecipheriv('aes-256-gcm', wrappingKey, edk.providerInfo.subarray(nameLength + 8)).setAAD(serializeContext(header.context));
      decipher.setAuthTag(edk.ciphertext.subarray(-16));
      return Promise.resolve(Buffer.concat([decipher.update(edk.ciphertext.subarray(0, -16)), decipher.final()]));
    };
    const plaintext = randomBytes(5 * FRAME + 3);
    const { result } = await sdk.encrypt(keyring, plaintext, { encryptionContext: { team: 'lab' }, frameLength: FRAME });
    const read = itemsAndResult(decryptMessage([Buffer.from(result)], unwrap));
    expect((await collect(read.items)).equals(plaintext)).toBe(true);
    expect(read.result()?.header.context).toMatchObject({ team: 'lab' });

    const dataKey = randomBytes(32);
    const context = { team: 'lab' };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', wrappingKey, iv).setAAD(serializeContext(context));
    const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    const info = Buffer.concat([Buffer.from('shared-aes'), Buffer.from([0, 0, 0, 128, 0, 0, 0, 12]), iv]);
    const ours = await collect(encryptMessage({ dataKey, dataKeys: [{ providerId: 'lab', providerInfo: info, ciphertext: wrapped }], context, frameLength: FRAME }, [plaintext]));
    const opened = await sdk.decrypt(keyring, ours);
    expect(Buffer.from(opened.plaintext).equals(plaintext)).toBe(true);
    expect(opened.messageHeader.encryptionContext).toEqual(context);
  });
});
