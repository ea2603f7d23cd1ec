// The AWS SDK for JavaScript as a client of Strongroom: its own generated
// serializers write each request and read each response and error, so the
// JSON shapes are checked by code no one here wrote. Only the HTTP hop is
// left out: the SDK's request goes straight to invokeAsRoot().
import * as kms from '@aws-sdk/client-kms';
import { constants, createHmac, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, publicEncrypt, randomBytes, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { implementedOperations } from '../../src-main/kms/operations';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import type { OperationName } from '../../src-shared/kms/shapes.generated';
import { kmsClient, type SentRequest } from '../helpers/sdkClient';
import { freshVaultForEachTest } from '../helpers/vault';

let vault: Vault;
/** What the SDK sent in the running test, to check its requests as well. */
const sent: SentRequest[] = [];
freshVaultForEachTest((fresh) => {
  vault = fresh;
  sent.length = 0;
});

function client(): kms.KMSClient {
  return kmsClient(vault, (request) => sent.push(request));
}

const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString();

/** A test: what it does through the SDK, and the operations it sends (exactly those: the test checks). */
interface Scenario {
  name: string;
  operations: OperationName[];
  run: (sdk: kms.KMSClient) => Promise<void>;
}

const SCENARIOS: Scenario[] = [{
  name: 'sends every request as AWS JSON 1.1 to TrentService and reads every response of the key lifecycle',
  operations: ['CreateKey', 'CreateAlias', 'DescribeKey', 'ListAliases', 'ListKeys', 'TagResource', 'UntagResource', 'ListResourceTags', 'UpdateKeyDescription', 'DisableKey', 'EnableKey',
    'EnableKeyRotation', 'GetKeyRotationStatus', 'RotateKeyOnDemand', 'ListKeyRotations', 'DisableKeyRotation', 'ScheduleKeyDeletion', 'CancelKeyDeletion', 'UpdateAlias', 'DeleteAlias'],
  async run(sdk) {
    const created = await sdk.send(new kms.CreateKeyCommand({ Description: 'payroll', Tags: [{ TagKey: 'team', TagValue: 'pay' }] }));
    const metadata = created.KeyMetadata;
    const keyId = metadata?.KeyId ?? '';
    expect(metadata).toMatchObject({ Description: 'payroll', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS', KeyManager: 'CUSTOMER', MultiRegion: false, Enabled: true });
    expect(metadata?.Arn).toBe(vault.store.keyArn(keyId));
    expect(metadata?.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs((metadata?.CreationDate?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(metadata?.EncryptionAlgorithms).toEqual(['SYMMETRIC_DEFAULT']);

    await sdk.send(new kms.CreateAliasCommand({ AliasName: 'alias/payroll', TargetKeyId: keyId }));
    const described = await sdk.send(new kms.DescribeKeyCommand({ KeyId: 'alias/payroll' }));
    expect(described.KeyMetadata?.CreationDate).toEqual(metadata?.CreationDate);
    const aliases = await sdk.send(new kms.ListAliasesCommand({ KeyId: keyId }));
    expect(aliases.Aliases?.map((a) => [a.AliasName, a.TargetKeyId, a.CreationDate instanceof Date])).toEqual([['alias/payroll', keyId, true]]);

    for (let i = 0; i < 2; i++) await sdk.send(new kms.CreateKeyCommand({}));
    const firstPage = await sdk.send(new kms.ListKeysCommand({ Limit: 2 }));
    expect(firstPage).toMatchObject({ Truncated: true });
    const secondPage = await sdk.send(new kms.ListKeysCommand({ Limit: 2, Marker: firstPage.NextMarker }));
    expect(secondPage.Truncated).toBe(false);
    expect([...(firstPage.Keys ?? []), ...(secondPage.Keys ?? [])].map((k) => k.KeyId)).toContain(keyId);

    await sdk.send(new kms.TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'site', TagValue: 'hq' }] }));
    await sdk.send(new kms.UntagResourceCommand({ KeyId: keyId, TagKeys: ['team'] }));
    expect((await sdk.send(new kms.ListResourceTagsCommand({ KeyId: keyId }))).Tags).toEqual([{ TagKey: 'site', TagValue: 'hq' }]);
    await sdk.send(new kms.UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'payroll 2027' }));
    await sdk.send(new kms.DisableKeyCommand({ KeyId: keyId }));
    await sdk.send(new kms.EnableKeyCommand({ KeyId: keyId }));
    expect((await sdk.send(new kms.DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata).toMatchObject({ Description: 'payroll 2027', Enabled: true });

    await sdk.send(new kms.EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    const status = await sdk.send(new kms.GetKeyRotationStatusCommand({ KeyId: keyId }));
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 90 });
    expect(status.NextRotationDate).toBeInstanceOf(Date);
    expect((await sdk.send(new kms.RotateKeyOnDemandCommand({ KeyId: keyId }))).KeyId).toBe(metadata?.Arn);
    const rotations = await sdk.send(new kms.ListKeyRotationsCommand({ KeyId: keyId }));
    expect(rotations.Rotations?.map((r) => [r.RotationType, r.RotationDate instanceof Date])).toEqual([['ON_DEMAND', true]]);
    await sdk.send(new kms.DisableKeyRotationCommand({ KeyId: keyId }));

    const scheduled = await sdk.send(new kms.ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyId: metadata?.Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect((scheduled.DeletionDate?.getTime() ?? 0) - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect((await sdk.send(new kms.CancelKeyDeletionCommand({ KeyId: keyId }))).KeyId).toBe(metadata?.Arn);
    const other = (await sdk.send(new kms.CreateKeyCommand({}))).KeyMetadata?.KeyId;
    await sdk.send(new kms.UpdateAliasCommand({ AliasName: 'alias/payroll', TargetKeyId: other }));
    await sdk.send(new kms.DeleteAliasCommand({ AliasName: 'alias/payroll' }));
    expect((await sdk.send(new kms.ListAliasesCommand({ KeyId: other }))).Aliases).toEqual([]);

    expect(new Set(sent.map((s) => s.contentType))).toEqual(new Set(['application/x-amz-json-1.1']));
    expect(sent.find((s) => s.target === 'TrentService.CreateKey')?.body).toEqual({ Description: 'payroll', Tags: [{ TagKey: 'team', TagValue: 'pay' }] });
  },
}, {
  name: 'encrypts, decrypts and re-encrypts bytes, and makes data keys and random bytes',
  operations: ['CreateKey', 'Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateRandom'],
  async run(sdk) {
    const keyId = (await sdk.send(new kms.CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';
    const otherId = (await sdk.send(new kms.CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';
    const context = { purpose: 'sdk test', 'ключ': 'значение' };
    const encrypted = await sdk.send(new kms.EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('the payroll'), EncryptionContext: context }));
    expect(encrypted).toMatchObject({ KeyId: vault.store.keyArn(keyId), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    expect(encrypted.CiphertextBlob).toBeInstanceOf(Uint8Array);
    const decrypted = await sdk.send(new kms.DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }));
    expect(text(decrypted.Plaintext)).toBe('the payroll');
    expect(decrypted.KeyId).toBe(vault.store.keyArn(keyId));

    const moved = await sdk.send(new kms.ReEncryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, SourceEncryptionContext: context, DestinationKeyId: otherId }));
    expect(moved).toMatchObject({ SourceKeyId: vault.store.keyArn(keyId), KeyId: vault.store.keyArn(otherId) });
    expect(text((await sdk.send(new kms.DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, KeyId: otherId }))).Plaintext)).toBe('the payroll');

    const dataKey = await sdk.send(new kms.GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    expect(dataKey.Plaintext).toHaveLength(32);
    const unwrapped = await sdk.send(new kms.DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));
    expect(Buffer.from(unwrapped.Plaintext ?? []).equals(Buffer.from(dataKey.Plaintext ?? []))).toBe(true);
    const sealedOnly = await sdk.send(new kms.GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, NumberOfBytes: 24 }));
    expect(sealedOnly).not.toHaveProperty('Plaintext');
    expect((await sdk.send(new kms.DecryptCommand({ CiphertextBlob: sealedOnly.CiphertextBlob }))).Plaintext).toHaveLength(24);
    expect((await sdk.send(new kms.GenerateRandomCommand({ NumberOfBytes: 64 }))).Plaintext).toHaveLength(64);
  },
}, {
  name: 'signs and verifies, makes and checks MACs, agrees keys and makes data key pairs',
  operations: ['CreateKey', 'GetPublicKey', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'],
  async run(sdk) {
    const signer = (await sdk.send(new kms.CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata;
    expect(signer?.SigningAlgorithms).toContain('RSASSA_PSS_SHA_256');
    const publicKey = await sdk.send(new kms.GetPublicKeyCommand({ KeyId: signer?.KeyId }));
    expect(publicKey.PublicKey).toBeInstanceOf(Uint8Array);
    const message = Buffer.from('the ceremony log');
    const { Signature } = await sdk.send(new kms.SignCommand({ KeyId: signer?.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));
    const spki = createPublicKey({ key: Buffer.from(publicKey.PublicKey ?? []), format: 'der', type: 'spki' });
    expect(verify('sha256', message, { key: spki, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Signature ?? new Uint8Array())).toBe(true);
    expect((await sdk.send(new kms.VerifyCommand({ KeyId: signer?.KeyId, Message: message, Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }))).SignatureValid).toBe(true);
    await expect(sdk.send(new kms.VerifyCommand({ KeyId: signer?.KeyId, Message: Buffer.from('another'), Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }))).rejects.toBeInstanceOf(kms.KMSInvalidSignatureException);

    const macKey = (await sdk.send(new kms.CreateKeyCommand({ KeySpec: 'HMAC_512', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata?.KeyId;
    const { Mac } = await sdk.send(new kms.GenerateMacCommand({ KeyId: macKey, Message: message, MacAlgorithm: 'HMAC_SHA_512' }));
    expect(Mac).toHaveLength(64);
    expect((await sdk.send(new kms.VerifyMacCommand({ KeyId: macKey, Message: message, Mac, MacAlgorithm: 'HMAC_SHA_512' }))).MacValid).toBe(true);
    await expect(sdk.send(new kms.VerifyMacCommand({ KeyId: macKey, Message: Buffer.from('another'), Mac, MacAlgorithm: 'HMAC_SHA_512' }))).rejects.toBeInstanceOf(kms.KMSInvalidMacException);

    const agreement = (await sdk.send(new kms.CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }))).KeyMetadata?.KeyId;
    const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const derived = await sdk.send(new kms.DeriveSharedSecretCommand({ KeyId: agreement, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer.publicKey.export({ type: 'spki', format: 'der' }) }));
    const agreementPublic = createPublicKey({ key: Buffer.from((await sdk.send(new kms.GetPublicKeyCommand({ KeyId: agreement }))).PublicKey ?? []), format: 'der', type: 'spki' });
    expect(Buffer.from(derived.SharedSecret ?? []).equals(diffieHellman({ privateKey: peer.privateKey, publicKey: agreementPublic }))).toBe(true);

    const wrapping = (await sdk.send(new kms.CreateKeyCommand({}))).KeyMetadata?.KeyId;
    const pair = await sdk.send(new kms.GenerateDataKeyPairCommand({ KeyId: wrapping, KeyPairSpec: 'ECC_NIST_P384' }));
    const privateKey = createPrivateKey({ key: Buffer.from(pair.PrivateKeyPlaintext ?? []), format: 'der', type: 'pkcs8' });
    expect(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).equals(Buffer.from(pair.PublicKey ?? []))).toBe(true);
    const sealedPair = await sdk.send(new kms.GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: wrapping, KeyPairSpec: 'RSA_3072' }));
    expect(sealedPair).not.toHaveProperty('PrivateKeyPlaintext');
    expect(sealedPair.KeyPairSpec).toBe('RSA_3072');
  },
}, {
  name: 'imports key material wrapped with the parameters it gives',
  operations: ['CreateKey', 'GetParametersForImport', 'ImportKeyMaterial', 'DescribeKey', 'GenerateMac', 'DeleteImportedKeyMaterial'],
  async run(sdk) {
    const keyId = (await sdk.send(new kms.CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata?.KeyId;
    const params = await sdk.send(new kms.GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
    expect(params.ParametersValidTo).toBeInstanceOf(Date);
    const material = randomBytes(32);
    const wrappingKey = createPublicKey({ key: Buffer.from(params.PublicKey ?? []), format: 'der', type: 'spki' });
    const encrypted = publicEncrypt({ key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, material);
    const validTo = new Date(Date.now() + 86_400_000);
    await sdk.send(new kms.ImportKeyMaterialCommand({ KeyId: keyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: encrypted, ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo }));
    const metadata = (await sdk.send(new kms.DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    expect(metadata).toMatchObject({ KeyState: 'Enabled', Origin: 'EXTERNAL', ExpirationModel: 'KEY_MATERIAL_EXPIRES' });
    expect(Math.abs((metadata?.ValidTo?.getTime() ?? 0) - validTo.getTime())).toBeLessThan(1000);
    const { Mac } = await sdk.send(new kms.GenerateMacCommand({ KeyId: keyId, Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_256' }));
    expect(Buffer.from(Mac ?? []).equals(createHmac('sha256', material).update('m').digest())).toBe(true);
    await sdk.send(new kms.DeleteImportedKeyMaterialCommand({ KeyId: keyId }));
    expect((await sdk.send(new kms.DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState).toBe('PendingImport');
  },
}, {
  name: 'manages a custom key store on the vault\'s token and keeps a key there',
  operations: ['CreateCustomKeyStore', 'DescribeCustomKeyStores', 'UpdateCustomKeyStore', 'ConnectCustomKeyStore', 'GenerateRandom', 'DisconnectCustomKeyStore', 'DeleteCustomKeyStore', 'CreateKey', 'Encrypt', 'Decrypt'],
  async run(sdk) {
    const TrustAnchorCertificate = `pkcs11:serial=${vault.record.tokenSerial}`;
    const { CustomKeyStoreId } = await sdk.send(new kms.CreateCustomKeyStoreCommand({ CustomKeyStoreName: 'token', TrustAnchorCertificate }));
    const [entry] = (await sdk.send(new kms.DescribeCustomKeyStoresCommand({ CustomKeyStoreId }))).CustomKeyStores ?? [];
    expect(entry).toMatchObject({ CustomKeyStoreName: 'token', ConnectionState: 'DISCONNECTED', CustomKeyStoreType: 'AWS_CLOUDHSM' });
    expect(entry?.CreationDate).toBeInstanceOf(Date);
    await sdk.send(new kms.UpdateCustomKeyStoreCommand({ CustomKeyStoreId, NewCustomKeyStoreName: 'the token' }));
    await sdk.send(new kms.ConnectCustomKeyStoreCommand({ CustomKeyStoreId }));
    expect((await sdk.send(new kms.GenerateRandomCommand({ NumberOfBytes: 16, CustomKeyStoreId }))).Plaintext).toHaveLength(16);
    await sdk.send(new kms.DisconnectCustomKeyStoreCommand({ CustomKeyStoreId }));
    await sdk.send(new kms.DeleteCustomKeyStoreCommand({ CustomKeyStoreId }));
    await expect(sdk.send(new kms.DescribeCustomKeyStoresCommand({ CustomKeyStoreId }))).rejects.toBeInstanceOf(kms.CustomKeyStoreNotFoundException);

    const again = (await sdk.send(new kms.CreateCustomKeyStoreCommand({ CustomKeyStoreName: 'token', TrustAnchorCertificate }))).CustomKeyStoreId;
    await sdk.send(new kms.ConnectCustomKeyStoreCommand({ CustomKeyStoreId: again }));
    const metadata = (await sdk.send(new kms.CreateKeyCommand({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: again }))).KeyMetadata;
    expect(metadata).toMatchObject({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: again });
    const { CiphertextBlob } = await sdk.send(new kms.EncryptCommand({ KeyId: metadata?.KeyId, Plaintext: Buffer.from('on the token') }));
    expect(text((await sdk.send(new kms.DecryptCommand({ CiphertextBlob }))).Plaintext)).toBe('on the token');
  },
}, {
  name: 'sets, reads and lists a key policy, which then decides: an explicit deny is the SDK\'s AccessDeniedException',
  operations: ['CreateKey', 'GetKeyPolicy', 'ListKeyPolicies', 'PutKeyPolicy', 'Encrypt'],
  async run(sdk) {
    const root = `arn:aws:iam::${vault.record.accountId}:root`;
    const manage = { Sid: 'Manage', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' };
    const keyId = (await sdk.send(new kms.CreateKeyCommand({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [manage] }) }))).KeyMetadata?.KeyId;
    expect(JSON.parse((await sdk.send(new kms.GetKeyPolicyCommand({ KeyId: keyId }))).Policy ?? '')).toMatchObject({ Statement: [manage] });
    expect((await sdk.send(new kms.ListKeyPoliciesCommand({ KeyId: keyId }))).PolicyNames).toEqual(['default']);
    const deny = { Sid: 'NoEncrypt', Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*' };
    await sdk.send(new kms.PutKeyPolicyCommand({ KeyId: keyId, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [manage, deny] }) }));
    await expect(sdk.send(new kms.EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }))).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('explicit deny') as unknown });
  },
}, {
  name: 'creates, lists, retires and revokes grants, whose tokens the SDK passes in GrantTokens',
  operations: ['CreateKey', 'CreateGrant', 'ListGrants', 'ListRetirableGrants', 'Encrypt', 'RetireGrant', 'RevokeGrant'],
  async run(sdk) {
    const user = (name: string) => `arn:aws:iam::${vault.record.accountId}:user/${name}`;
    const KeyId = (await sdk.send(new kms.CreateKeyCommand({}))).KeyMetadata?.KeyId;
    const made = await sdk.send(new kms.CreateGrantCommand({ KeyId, GranteePrincipal: user('bob'), RetiringPrincipal: user('carol'), Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: { app: 'ledger' } }, Name: 'ledger' }));
    const [entry] = (await sdk.send(new kms.ListGrantsCommand({ KeyId }))).Grants ?? [];
    expect(entry).toMatchObject({ GrantId: made.GrantId, Name: 'ledger', Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: { app: 'ledger' } } });
    expect(entry?.CreationDate).toBeInstanceOf(Date);
    expect((await sdk.send(new kms.ListRetirableGrantsCommand({ RetiringPrincipal: user('carol') }))).Grants?.map((g) => g.GrantId)).toEqual([made.GrantId]);
    await sdk.send(new kms.EncryptCommand({ KeyId, Plaintext: Buffer.from('x'), GrantTokens: [made.GrantToken ?? ''] }));
    await expect(sdk.send(new kms.EncryptCommand({ KeyId, Plaintext: Buffer.from('x'), GrantTokens: ['bm90IGEgdG9rZW4='] }))).rejects.toBeInstanceOf(kms.InvalidGrantTokenException);
    await sdk.send(new kms.RetireGrantCommand({ GrantToken: made.GrantToken }));
    const second = await sdk.send(new kms.CreateGrantCommand({ KeyId, GranteePrincipal: user('dave'), Operations: ['DescribeKey'] }));
    await sdk.send(new kms.RevokeGrantCommand({ KeyId, GrantId: second.GrantId }));
    expect((await sdk.send(new kms.ListGrantsCommand({ KeyId }))).Grants).toEqual([]);
  },
}, {
  name: 'raises each AWS exception as the SDK\'s own class, with the message',
  operations: ['CreateKey', 'Encrypt', 'DescribeKey', 'Decrypt', 'CreateAlias', 'TagResource', 'ListKeys', 'CancelKeyDeletion', 'DisableKey'],
  async run(sdk) {
    const keyId = (await sdk.send(new kms.CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';
    const { CiphertextBlob } = await sdk.send(new kms.EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { a: 'b' } }));
    const refusals: [Promise<unknown>, new (...args: never[]) => Error][] = [
      [sdk.send(new kms.DescribeKeyCommand({ KeyId: '00000000-0000-0000-0000-000000000000' })), kms.NotFoundException],
      [sdk.send(new kms.DecryptCommand({ CiphertextBlob, EncryptionContext: { a: 'c' } })), kms.InvalidCiphertextException],
      [sdk.send(new kms.DecryptCommand({ CiphertextBlob, KeyId: (await sdk.send(new kms.CreateKeyCommand({}))).KeyMetadata?.KeyId })), kms.IncorrectKeyException],
      [sdk.send(new kms.CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: keyId })), kms.InvalidAliasNameException],
      [sdk.send(new kms.TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] })), kms.TagException],
      [sdk.send(new kms.ListKeysCommand({ Marker: 'not a marker' })), kms.InvalidMarkerException],
      [sdk.send(new kms.EncryptCommand({ KeyId: keyId, Plaintext: Buffer.alloc(4097) })), kms.KMSServiceException],
      [sdk.send(new kms.CancelKeyDeletionCommand({ KeyId: keyId })), kms.KMSInvalidStateException],
    ];
    for (const [promise, type] of refusals) {
      const error = await promise.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      expect((error as Error).message).not.toBe('');
      expect((error as kms.KMSServiceException).$metadata.httpStatusCode).toBe(400);
    }
    const tooLong = await sdk.send(new kms.EncryptCommand({ KeyId: keyId, Plaintext: Buffer.alloc(4097) })).catch((e: unknown) => e);
    expect((tooLong as Error).name).toBe('ValidationException');
    await sdk.send(new kms.DisableKeyCommand({ KeyId: keyId }));
    await expect(sdk.send(new kms.EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }))).rejects.toBeInstanceOf(kms.DisabledException);
  },
}, {
  name: 'refuses the multi-Region operations as the SDK expects where they cannot go: a vault of Region "local", a single-Region key, no replication request',
  operations: ['CreateKey', 'ReplicateKey', 'UpdatePrimaryRegion'],
  async run(sdk) {
    await expect(sdk.send(new kms.CreateKeyCommand({ MultiRegion: true }))).rejects.toBeInstanceOf(kms.UnsupportedOperationException);
    const keyId = (await sdk.send(new kms.CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';
    // The SDK knows no ReplicationRequest (a Strongroom extension), so the request has none.
    const replicated = await sdk.send(new kms.ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'us-east-1' })).catch((e: unknown) => e);
    expect((replicated as Error).name).toBe('ValidationException');
    expect((replicated as Error).message).toMatch(/Give ReplicationRequest/);
    await expect(sdk.send(new kms.UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: 'us-east-1' }))).rejects.toBeInstanceOf(kms.UnsupportedOperationException);
  },
}];

describe('the AWS SDK for JavaScript, speaking to Strongroom', () => {
  for (const { name, operations, run } of SCENARIOS) {
    it(name, async () => {
      await run(client());
      expect(new Set(sent.map((s) => s.target))).toEqual(new Set(operations.map((operation) => `TrentService.${operation}`)));
    });
  }

  it('sends every operation Strongroom implements in one of the tests above', () => {
    expect(new Set(SCENARIOS.flatMap((scenario) => scenario.operations))).toEqual(new Set(implementedOperations()));
  });
});
