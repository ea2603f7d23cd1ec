// Every implemented operation, called by a principal that is not allowed, is refused with AccessDeniedException
// before it acts; the same request from the account root goes through, so the refusal is authorization's alone.
import { constants, createCipheriv, createHmac, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes, randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../src-shared/caller';
import { exportAuditLog } from '../../src-main/audit/verify';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { extensionOperations, iamOperations, implementedOperations } from '../../src-main/kms/operations';
import { invoke } from '../../src-main/kms/pipeline/invoke';
import { accountRoot } from '../../src-main/bootstrap';
import { defaultKeyPolicy } from '../../src-main/policy/defaultKeyPolicy';
import { ageFileFor, stanzasOf, type StanzaRequest } from '../helpers/age';
import { b64, call, errorText, newKey } from '../helpers/kms';
import { freshVaultForEachTest } from '../helpers/vault';

/** What the requests name: keys in the states the operations need, an alias, a ciphertext. */
interface Scene {
  vault: Vault;
  ageStanzas: StanzaRequest[];
  accountId: string;
  key: string;
  other: string;
  pending: string;
  alias: string;
  blob: string;
  /** Keys for the other usages: SIGN_VERIFY, GENERATE_VERIFY_MAC, KEY_AGREEMENT (with its public key). */
  signer: string;
  mac: string;
  agreement: string;
  agreementPublicKey: string;
  /** The signer's signature, and the MAC key's tag, of 'message'. */
  signature: string;
  mac256: string;
  /** A key with Origin EXTERNAL, and its material wrapped for it with fresh import parameters. */
  external: string;
  wrapped: { ImportToken: string; EncryptedKeyMaterial: string };
  /** A custom key store on the vault's own token, the token's URI, and how to delete the store (for a request that makes one there). */
  store: string;
  ownTokenUri: string;
  dropStore: () => void;
  /** A multi-Region primary key. */
  multiRegion: string;
  /** An access key of the user "ops", who has the inline policy "use"; the user "leaving" has neither. */
  opsKey: string;
}

const AGE_RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const RECOVERY_SECRET = Buffer.alloc(32, 7).toString('base64');
const WRAPPING_PUBLIC_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const USE_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }] });

/** A request to each implemented operation that the account root may make in the scene. */
const REQUESTS: Record<string, (s: Scene) => Record<string, unknown>> = {
  CancelKeyDeletion: (s) => ({ KeyId: s.pending }),
  ConnectCustomKeyStore: (s) => ({ CustomKeyStoreId: s.store }),
  CreateCustomKeyStore: (s) => {
    s.dropStore();
    return { CustomKeyStoreName: 'new', TrustAnchorCertificate: s.ownTokenUri };
  },
  CreateAlias: (s) => ({ AliasName: 'alias/new', TargetKeyId: s.key }),
  CreateKey: () => ({ Description: 'new' }),
  Decrypt: (s) => ({ CiphertextBlob: s.blob }),
  DeleteAlias: (s) => ({ AliasName: s.alias }),
  DeleteCustomKeyStore: (s) => ({ CustomKeyStoreId: s.store }),
  DeleteImportedKeyMaterial: (s) => ({ KeyId: s.external }),
  DeriveSharedSecret: (s) => ({ KeyId: s.agreement, KeyAgreementAlgorithm: 'ECDH', PublicKey: s.agreementPublicKey }),
  DescribeCustomKeyStores: () => ({}),
  DescribeKey: (s) => ({ KeyId: s.key }),
  DisableKey: (s) => ({ KeyId: s.key }),
  DisableKeyRotation: (s) => ({ KeyId: s.key }),
  DisconnectCustomKeyStore: (s) => ({ CustomKeyStoreId: s.store }),
  EnableKey: (s) => ({ KeyId: s.key }),
  EnableKeyRotation: (s) => ({ KeyId: s.key }),
  Encrypt: (s) => ({ KeyId: s.alias, Plaintext: b64('secret') }),
  GenerateDataKey: (s) => ({ KeyId: s.key, KeySpec: 'AES_256' }),
  GenerateDataKeyPair: (s) => ({ KeyId: s.key, KeyPairSpec: 'ECC_NIST_P256' }),
  GenerateDataKeyPairWithoutPlaintext: (s) => ({ KeyId: s.key, KeyPairSpec: 'ECC_NIST_P256' }),
  GenerateDataKeyWithoutPlaintext: (s) => ({ KeyId: s.key, NumberOfBytes: 16 }),
  GenerateMac: (s) => ({ KeyId: s.mac, Message: b64('message'), MacAlgorithm: 'HMAC_SHA_256' }),
  GenerateRandom: () => ({ NumberOfBytes: 16 }),
  GetKeyRotationStatus: (s) => ({ KeyId: s.key }),
  GetKeyPolicy: (s) => ({ KeyId: s.key }),
  CreateGrant: (s) => ({ KeyId: s.key, GranteePrincipal: `arn:aws:iam::${s.accountId}:user/bob`, Operations: ['Encrypt'] }),
  ListGrants: (s) => ({ KeyId: s.key }),
  SimulatePolicy: (s) => ({ principal: `arn:aws:iam::${s.accountId}:user/bob`, action: 'kms:Decrypt', keyId: s.key }),
  ListRetirableGrants: (s) => ({ RetiringPrincipal: `arn:aws:iam::${s.accountId}:user/carol` }),
  RetireGrant: (s) => ({ KeyId: s.key, GrantId: grantOn(s) }),
  RevokeGrant: (s) => ({ KeyId: s.key, GrantId: grantOn(s) }),
  ListKeyPolicies: (s) => ({ KeyId: s.key }),
  PutKeyPolicy: (s) => ({ KeyId: s.key, Policy: defaultKeyPolicy(s.accountId) }),
  GetParametersForImport: (s) => ({ KeyId: s.external, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: 'RSA_2048' }),
  GetPublicKey: (s) => ({ KeyId: s.signer }),
  ImportKeyMaterial: (s) => ({ KeyId: s.external, ...s.wrapped }),
  ListAliases: () => ({}),
  ListKeyRotations: (s) => ({ KeyId: s.key }),
  ListKeys: () => ({}),
  ListResourceTags: (s) => ({ KeyId: s.key }),
  ReEncrypt: (s) => ({ CiphertextBlob: s.blob, DestinationKeyId: s.other }),
  RotateKeyOnDemand: (s) => ({ KeyId: s.key }),
  ScheduleKeyDeletion: (s) => ({ KeyId: s.key, PendingWindowInDays: 7 }),
  Sign: (s) => ({ KeyId: s.signer, Message: b64('message'), SigningAlgorithm: 'ECDSA_SHA_256' }),
  TagResource: (s) => ({ KeyId: s.key, Tags: [{ TagKey: 'team', TagValue: 'blue' }] }),
  UntagResource: (s) => ({ KeyId: s.key, TagKeys: ['team'] }),
  UpdateAlias: (s) => ({ AliasName: s.alias, TargetKeyId: s.other }),
  UpdateCustomKeyStore: (s) => ({ CustomKeyStoreId: s.store, NewCustomKeyStoreName: 'renamed' }),
  UpdateKeyDescription: (s) => ({ KeyId: s.key, Description: 'changed' }),
  Verify: (s) => ({ KeyId: s.signer, Message: b64('message'), SigningAlgorithm: 'ECDSA_SHA_256', Signature: s.signature }),
  VerifyMac: (s) => ({ KeyId: s.mac, Message: b64('message'), MacAlgorithm: 'HMAC_SHA_256', Mac: s.mac256 }),
  // Strongroom's own, behind the interface's key list and audit pages
  ListKeyDetails: () => ({ limit: 10 }),
  LookupEvents: () => ({ limit: 10 }),
  // IAM's
  CreateUser: () => ({ UserName: 'newcomer' }),
  DeleteUser: () => ({ UserName: 'leaving' }),
  GetUser: () => ({ UserName: 'ops' }),
  ListUsers: () => ({}),
  CreateAccessKey: () => ({ UserName: 'ops' }),
  DeleteAccessKey: (s) => ({ UserName: 'ops', AccessKeyId: s.opsKey }),
  ListAccessKeys: () => ({ UserName: 'ops' }),
  UpdateAccessKey: (s) => ({ UserName: 'ops', AccessKeyId: s.opsKey, Status: 'Inactive' }),
  PutUserPolicy: () => ({ UserName: 'ops', PolicyName: 'more', PolicyDocument: USE_POLICY }),
  GetUserPolicy: () => ({ UserName: 'ops', PolicyName: 'use' }),
  DeleteUserPolicy: () => ({ UserName: 'ops', PolicyName: 'use' }),
  ListUserPolicies: () => ({ UserName: 'ops' }),
  SimulatePrincipalPolicy: (s) => ({ PolicySourceArn: `arn:aws:iam::${s.accountId}:user/ops`, ActionNames: ['kms:Encrypt'] }),
  // Contacts
  CreateContact: () => ({ Name: 'zed', PublicKey: AGE_RECIPIENT }),
  ListContacts: () => ({}),
  DeleteContact: () => ({ Name: 'yve' }),
  // Age identities
  CreateAgeIdentity: () => ({ Name: 'new' }),
  ListAgeIdentities: () => ({}),
  DeleteAgeIdentity: () => ({ Name: 'mine' }),
  UnwrapAgeFileKey: (s) => ({ Stanzas: s.ageStanzas }),
  // Ceremonies
  CreateRecoverySplit: () => ({ SplitId: 'fedcba9876543210', Threshold: 2, Custodians: ['ana', 'bo'], RecoverySecret: RECOVERY_SECRET }),
  DescribeRecoverySplit: () => ({}),
  VerifyRecoverySecret: () => ({ SplitId: '0123456789abcdef', RecoverySecret: RECOVERY_SECRET }),
  WrapKeyMaterial: (s) => ({ KeyId: s.mac, WrappingPublicKey: WRAPPING_PUBLIC_KEY, WrappingAlgorithm: 'RSAES_OAEP_SHA_256' }),
  // Multi-Region keys
  ReplicateKey: (s) => ({ KeyId: s.multiRegion, ReplicaRegion: 'us-east-1', ReplicationRequest: foreignRequest() }),
  UpdatePrimaryRegion: (s) => ({ KeyId: s.multiRegion, PrimaryRegion: 'eu-west-1' }),
  CreateReplicationRequest: () => ({}),
  SignCeremonyTranscript: () => ({ Ceremony: 'Backup', Participants: [{ Name: 'Ada', Role: 'officer' }], Steps: [{ At: new Date().toISOString(), Step: 'Back up the vault.' }], Facts: { File: 'vault.backup' } }),
  ImportReplicaKey: (s) => ({ ReplicaBundle: bundleFor(call(s.vault, 'CreateReplicationRequest', {}).ReplicationRequest) }),
};

/**
 * A replication request from a vault in us-east-1 (made here, as its JSON
 * is documented: only its Region, account and public key matter to the
 * primary), and a replica bundle for one of the scene vault's own requests,
 * made as docs/ceremonies.md describes the format.
 */
function foreignRequest(): string {
  return JSON.stringify({ Format: 'strongroom-replication-request', RequestId: randomBytes(16).toString('hex'), VaultId: randomUUID(), Region: 'us-east-1', AccountId: '111122223333', PublicKey: WRAPPING_PUBLIC_KEY, ValidTo: new Date(Date.now() + 3600_000).toISOString() });
}
function bundleFor(requestText: string): string {
  const request = JSON.parse(requestText) as { RequestId: string; Region: string; AccountId: string; PublicKey: string };
  const keyId = `mrk-${randomBytes(16).toString('hex')}`;
  const materialId = randomBytes(32).toString('hex');
  const transport = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', transport, iv).setAAD(Buffer.from(['strongroom replica material v1', keyId, '1', materialId].join('\0')));
  const material = Buffer.concat([iv, cipher.update(randomBytes(32)), cipher.final(), cipher.getAuthTag()]).toString('base64');
  const replicaArn = `arn:aws:kms:${request.Region}:${request.AccountId}:key/${keyId}`;
  const primary = { Arn: `arn:aws:kms:us-east-1:111122223333:key/${keyId}`, Region: 'us-east-1' };
  const fields = {
    Format: 'strongroom-replica-bundle', RequestId: request.RequestId, SourceVaultId: randomUUID(), KeyId: keyId, ReplicaArn: replicaArn,
    MultiRegionConfiguration: { MultiRegionKeyType: 'PRIMARY', PrimaryKey: primary, ReplicaKeys: [{ Arn: replicaArn, Region: request.Region }] },
    KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Description: '', Policy: '', Tags: [], Enabled: true, CurrentVersion: 1,
    Versions: [{ Version: 1, KeyMaterialId: materialId, CreationDate: Date.now(), RotationType: null, Material: material }],
    TransportKey: publicEncrypt({ key: createPublicKey({ key: Buffer.from(request.PublicKey, 'base64'), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, transport).toString('base64'),
  };
  return JSON.stringify({ ...fields, Mac: createHmac('sha256', transport).update(JSON.stringify(fields)).digest('base64') });
}

/** A grant on the scene's key, made by the account root, for a request that names it. */
function grantOn(s: Scene): string {
  return call(s.vault, 'CreateGrant', { KeyId: s.key, GranteePrincipal: `arn:aws:iam::${s.accountId}:user/bob`, Operations: ['Encrypt'] }).GrantId ?? '';
}

const OPERATIONS_TO_TRY = [...implementedOperations(), ...iamOperations(), ...extensionOperations()];

/** Someone of the vault's account who is not its root: no key policy or grant allows them anything yet. */
function intruder(vault: Vault): Caller {
  const accountId = vault.record.accountId;
  return { principal: { type: 'User', accountId, arn: `arn:aws:iam::${accountId}:user/mallory` }, door: 'cli' };
}

describe('authorization of every operation', () => {
  let vault: Vault;
  let scene: Scene;
  freshVaultForEachTest(
    (v) => {
      vault = v;
    },
    { region: 'eu-west-1' },
  );
  beforeEach(async () => {
    const key = newKey(vault, 'main');
    const other = newKey(vault, 'other');
    const pending = newKey(vault, 'pending');
    call(vault, 'ScheduleKeyDeletion', { KeyId: pending, PendingWindowInDays: 7 });
    call(vault, 'CreateAlias', { AliasName: 'alias/main', TargetKeyId: key });
    call(vault, 'TagResource', { KeyId: key, Tags: [{ TagKey: 'team', TagValue: 'red' }] });
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: key, Plaintext: b64('secret') });
    const keyOf = (request: Record<string, unknown>): string => call(vault, 'CreateKey', request).KeyMetadata?.KeyId ?? '';
    const signer = keyOf({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const mac = keyOf({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Exportable: true });
    const agreement = keyOf({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    const external = keyOf({ Origin: 'EXTERNAL' });
    const multiRegion = keyOf({ MultiRegion: true });
    const params = call(vault, 'GetParametersForImport', { KeyId: external, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
    const wrappingKey = createPublicKey({ key: Buffer.from(params.PublicKey ?? '', 'base64'), format: 'der', type: 'spki' });
    const wrapped = { ImportToken: params.ImportToken ?? '', EncryptedKeyMaterial: b64(publicEncrypt({ key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, randomBytes(32))) };
    const ownTokenUri = `pkcs11:serial=${vault.record.tokenSerial}`;
    const store = call(vault, 'CreateCustomKeyStore', { CustomKeyStoreName: 'own token', TrustAnchorCertificate: ownTokenUri }).CustomKeyStoreId ?? '';
    for (const UserName of ['ops', 'leaving']) call(vault, 'CreateUser', { UserName });
    call(vault, 'CreateContact', { Name: 'yve', PublicKey: AGE_RECIPIENT });
    const mine = call(vault, 'CreateAgeIdentity', { Name: 'mine' }).AgeIdentity.Recipient;
    call(vault, 'CreateRecoverySplit', { SplitId: '0123456789abcdef', Threshold: 2, Custodians: ['ana', 'bo'], RecoverySecret: RECOVERY_SECRET });
    const ageStanzas = stanzasOf(await ageFileFor([mine]));
    call(vault, 'PutUserPolicy', { UserName: 'ops', PolicyName: 'use', PolicyDocument: USE_POLICY });
    const opsKey = call(vault, 'CreateAccessKey', { UserName: 'ops' }).AccessKey.AccessKeyId;
    scene = {
      vault,
      opsKey,
      accountId: vault.record.accountId,
      store, ownTokenUri, dropStore: () => call(vault, 'DeleteCustomKeyStore', { CustomKeyStoreId: store }), key, other, pending, alias: 'alias/main', blob: CiphertextBlob ?? '', signer, mac, agreement, external, wrapped, multiRegion,
      ageStanzas,
      agreementPublicKey: call(vault, 'GetPublicKey', { KeyId: agreement }).PublicKey ?? '',
      signature: call(vault, 'Sign', { KeyId: signer, Message: b64('message'), SigningAlgorithm: 'ECDSA_SHA_256' }).Signature ?? '',
      mac256: call(vault, 'GenerateMac', { KeyId: mac, Message: b64('message'), MacAlgorithm: 'HMAC_SHA_256' }).Mac ?? '',
    };
  });

  it('has a request for each implemented operation', () => {
    expect(Object.keys(REQUESTS).sort()).toEqual([...OPERATIONS_TO_TRY].sort());
  });

  for (const name of OPERATIONS_TO_TRY) {
    it(`refuses ${name} to a principal no policy allows, then runs it for the account root`, () => {
      const request = REQUESTS[name]?.(scene) ?? {};
      const refused = errorText(() => invoke(vault, intruder(vault), name, request));
      expect(refused).toMatch(/^AccessDeniedException: User: arn:aws:iam::\d{12}:user\/mallory is not authorized to perform: (kms|cloudtrail|iam|strongroom):\w+ on resource: (arn:aws:(kms|iam):\S+|\*) because no policy or grant allows it\./);
      expect(errorText(() => invoke(vault, accountRoot(vault, 'app'), name, request))).toBe('no error');
    });
  }

  it('refuses before it looks at the key state, and records the refusal with the caller', () => {
    call(vault, 'DisableKey', { KeyId: scene.key });
    expect(errorText(() => invoke(vault, intruder(vault), 'Encrypt', REQUESTS.Encrypt?.(scene)))).toMatch(/^AccessDeniedException: /);
    expect(errorText(() => call(vault, 'Encrypt', REQUESTS.Encrypt?.(scene)))).toMatch(/^DisabledException: /);
    vault.audit.flush();
    const refused = [...exportAuditLog(vault.db)].map((line) => JSON.parse(line) as Record<string, unknown>).filter((e) => e.errorCode === 'AccessDeniedException');
    expect(refused.at(-1)).toMatchObject({
      eventName: 'Encrypt',
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${vault.record.accountId}:user/mallory` },
      sourceIPAddress: 'strongroom-cli',
    });
  });
});
