import Database from 'better-sqlite3';
import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { implementedOperations } from '../../src-main/kms/operations';
import { OPERATIONS, type OperationName } from '../../src-shared/kms/shapes.generated';
import { b64, call, failure, newKey } from '../helpers/kms';
import { makeVault, PIN } from '../helpers/vault';

/**
 * Every error the AWS model documents for each operation this build
 * implements: a request that raises it, or why it cannot arise here. The
 * table must name exactly the model's errors, so that an operation added
 * later fails here until each of its errors is accounted for.
 */

/** Keys in each state, and ciphertexts made under them before they got there. */
interface Scene {
  vault: Vault;
  enabled: string;
  other: string;
  disabled: string;
  pending: string;
  /** An HMAC_256 key: it neither encrypts nor rotates. */
  mac: string;
  /** An ECC_NIST_P256 key for SIGN_VERIFY, and one for KEY_AGREEMENT with its public key. */
  signer: string;
  agreement: string;
  agreementPublicKey: string;
  /** A key with imported material (Origin EXTERNAL). */
  external: string;
  /** A multi-Region primary key (the scene's vault is in eu-west-1). */
  multiRegion: string;
  /** A custom key store on the vault's own token (see storeIn), its name, and the token's URI; another store's name. */
  store: string;
  storeName: string;
  ownTokenUri: string;
  blob: string;
  disabledBlob: string;
  pendingBlob: string;
}

/** A request that raises the error (several when it has more than one cause); it may set up what it needs first. */
type Trigger = (scene: Scene) => unknown;
type Entry = Trigger | Trigger[] | { never: string };

const MISSING = '00000000-0000-0000-0000-000000000000';
const GRANT = { GrantTokens: ['AQpAM2RhZTk1MGMyNTk2ZmZmMzEyYWVhOWViN2EzNTBlMDY='] };

/** Errors no operation of this build can raise, and why. */
const NEVER: Readonly<Record<string, string>> = {
  DependencyTimeoutException: 'no remote dependency: the token and the vault are on this machine',
  KeyUnavailableException: 'AWS raises it when a key is for a moment out of reach in its fleet; here a locked vault or a removed token has an exception of its own',
  InvalidArnException: 'a malformed or foreign key ARN is NotFoundException, as in AWS; no operation here takes another kind of ARN',
  CloudHsmClusterInvalidConfigurationException: 'raised when a store\'s PKCS#11 module cannot be loaded; the scene\'s store is on the vault\'s own token, whose module is loaded (a mechanism a key needs is checked at CreateKey: UnsupportedOperationException)',
  CloudHsmClusterNotActiveException: 'a token is there or it is not (CloudHsmClusterNotFoundException); none is "not active"',
  XksKeyInvalidConfigurationException: 'this build has no external key stores',
  XksProxyUriInUseException: 'this build has no external key stores (ValidationException)',
  XksProxyUriEndpointInUseException: 'this build has no external key stores (ValidationException)',
  XksProxyUriUnreachableException: 'this build has no external key stores (ValidationException)',
  XksProxyIncorrectAuthenticationCredentialException: 'this build has no external key stores (ValidationException)',
  XksProxyVpcEndpointServiceInUseException: 'this build has no external key stores (ValidationException)',
  XksProxyVpcEndpointServiceNotFoundException: 'this build has no external key stores (ValidationException)',
  XksProxyVpcEndpointServiceInvalidConfigurationException: 'this build has no external key stores (ValidationException)',
  XksProxyInvalidResponseException: 'this build has no external key stores (ValidationException)',
  XksProxyInvalidConfigurationException: 'this build has no external key stores (ValidationException)',
  XksKeyAlreadyInUseException: 'this build has no external key stores',
  XksKeyNotFoundException: 'this build has no external key stores',
};

/** A CreateGrant request's members besides the key. */
const bobsGrant = { GranteePrincipal: 'arn:aws:iam::111122223333:user/bob', Operations: ['Encrypt'] };

/** A key policy that lets no one change it (the lockout safety check refuses it), and one over the 32 KB quota. */
const lockingOut = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' }] });
const oversizedPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'x'.repeat(33_000), Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] });

/** KMSInternalException: every operation, when the audit log cannot be written (a test of its own, at the end of this file). */
const INTERNAL = { never: 'raised by every operation when the audit log cannot be written: tested for all at once below' };

const notFound: Trigger = () => ({ KeyId: MISSING });
const invalidState: Trigger = (s) => ({ KeyId: s.pending });
const disabled: Trigger = (s) => ({ KeyId: s.disabled });
const unrotatable: Trigger = (s) => ({ KeyId: s.mac });

/** The errors of the operations that make a ciphertext or data key under KeyId. */
function encryptingErrors(extra: Record<string, unknown>): Record<string, Entry> {
  return {
    NotFoundException: () => ({ KeyId: MISSING, ...extra }),
    DisabledException: (s) => ({ KeyId: s.disabled, ...extra }),
    KMSInvalidStateException: (s) => ({ KeyId: s.pending, ...extra }),
    InvalidKeyUsageException: (s) => ({ KeyId: s.mac, ...extra }),
    InvalidGrantTokenException: (s) => ({ KeyId: s.enabled, ...extra, ...GRANT }),
    DryRunOperationException: (s) => ({ KeyId: s.enabled, ...extra, DryRun: true }),
    KMSInternalException: INTERNAL,
  };
}

/** The errors of the key rotation operations that need an Enabled, rotatable key. */
const ROTATION_ERRORS: Record<string, Entry> = {
  NotFoundException: notFound,
  DisabledException: disabled,
  KMSInvalidStateException: invalidState,
  UnsupportedOperationException: unrotatable,
  KMSInternalException: INTERNAL,
};

/**
 * The errors of an operation on an asymmetric or HMAC key (`key` of the
 * scene) with `extra` in the request; a symmetric key has the wrong usage.
 */
function keyErrors(key: (s: Scene) => string, extra: (s: Scene) => Record<string, unknown>): Record<string, Entry> {
  return {
    NotFoundException: (s) => ({ KeyId: MISSING, ...extra(s) }),
    DisabledException: (s) => ({ KeyId: s.disabled, ...extra(s) }),
    KMSInvalidStateException: (s) => ({ KeyId: s.pending, ...extra(s) }),
    InvalidKeyUsageException: (s) => ({ KeyId: s.enabled, ...extra(s) }),
    InvalidGrantTokenException: (s) => ({ KeyId: key(s), ...extra(s), ...GRANT }),
    DryRunOperationException: (s) => ({ KeyId: key(s), ...extra(s), DryRun: true }),
    KMSInternalException: INTERNAL,
  };
}

const wrapping = { WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' };
/** ImportKeyMaterial's token and encrypted material: a token the vault never gave, and bytes that open with no key. */
const strangeImport = { ImportToken: b64(Buffer.alloc(33, 1)), EncryptedKeyMaterial: b64(Buffer.alloc(256, 2)) };

/** `material` wrapped for the scene's EXTERNAL key with fresh import parameters, and their token. */
function wrappedFor(s: Scene, material: Buffer): { ImportToken: string; EncryptedKeyMaterial: string } {
  const params = call(s.vault, 'GetParametersForImport', { KeyId: s.external, ...wrapping });
  const publicKey = createPublicKey({ key: Buffer.from(params.PublicKey ?? '', 'base64'), format: 'der', type: 'spki' });
  return { ImportToken: params.ImportToken ?? '', EncryptedKeyMaterial: b64(publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, material)) };
}

/** As {@link wrappedFor}, with a token whose 24 hours are over. */
function expiredImport(s: Scene): Record<string, unknown> {
  const wrapped = wrappedFor(s, randomBytes(32));
  s.vault.db.prepare('UPDATE import_parameters SET valid_to = 0 WHERE token_id = ?').run(Buffer.from(wrapped.ImportToken, 'base64').subarray(1, 17).toString('hex'));
  return wrapped;
}

const signing = (): Record<string, unknown> => ({ Message: b64('message'), SigningAlgorithm: 'ECDSA_SHA_256' });
const macs = (): Record<string, unknown> => ({ Message: b64('message'), MacAlgorithm: 'HMAC_SHA_256' });

/**
 * The scene's custom key store (on the vault's own token), put in `state`
 * first: disconnected or connected without keys, holding a key (a row that
 * says so), or connected once to a token that is not there (FAILED).
 */
function storeIn(s: Scene, state: 'disconnected' | 'connected' | 'holding a key' | 'failed'): string {
  const stores = s.vault.store.customKeyStores;
  call(s.vault, 'DisconnectCustomKeyStore', { CustomKeyStoreId: s.store });
  s.vault.db.prepare('DELETE FROM token_keys WHERE custom_key_store_id = ?').run(s.store);
  const row = stores.get(s.store);
  if (row === undefined) throw new Error('the scene has lost its custom key store');
  stores.update({ ...row, tokenUri: state === 'failed' ? 'pkcs11:token=Gone' : s.ownTokenUri });
  if (state === 'holding a key') stores.addTokenKey({ keyId: s.other, customKeyStoreId: s.store, objectId: Buffer.alloc(16) });
  if (state === 'connected' || state === 'failed') call(s.vault, 'ConnectCustomKeyStore', { CustomKeyStoreId: s.store });
  return s.store;
}

/** A new key on the token of the scene's custom key store (connected first). */
function keyInStore(s: Scene): string {
  return call(s.vault, 'CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: storeIn(s, 'connected') }).KeyMetadata?.KeyId ?? '';
}

/** A new key with `count` aliases. */
function keyWithAliases(s: Scene, count: number): string {
  const key = newKey(s.vault);
  for (let i = 0; i < count; i += 1) call(s.vault, 'CreateAlias', { AliasName: `alias/${key}-${String(i)}`, TargetKeyId: key });
  return key;
}

const fiftyOneTags = Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${String(i)}`, TagValue: '' }));

/** A ReplicateKey request for the Region us-east-1 (the request itself is read only once the key is found to be a primary). */
const replicate = (keyId: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ KeyId: keyId, ReplicaRegion: 'us-east-1', ReplicationRequest: '{}', ...extra });

const TABLE: Partial<Record<OperationName, Record<string, Entry>>> = {
  ReplicateKey: {
    AlreadyExistsException: { never: 'a bundle for a Region that holds a replica already brings it the versions it lacks (after a rotation of the primary), so it is not refused' },
    DisabledException: { never: 'a disabled primary is replicated, and its replica is disabled too' },
    KMSInvalidStateException: (s) => replicate(s.pending),
    KMSInternalException: INTERNAL,
    LimitExceededException: { never: 'a key has as many replicas as there are vaults to hold them: no quota' },
    MalformedPolicyDocumentException: { never: "the replica's policy is checked where it takes effect, by the replica's vault (ImportReplicaKey), against that vault's principals" },
    NotFoundException: () => replicate(MISSING),
    TagException: (s) => replicate(s.multiRegion, { Tags: [{ TagKey: 'aws:reserved', TagValue: 'x' }] }),
    UnsupportedOperationException: (s) => replicate(s.enabled),
  },
  UpdatePrimaryRegion: {
    DisabledException: { never: 'a disabled key changes roles too: the primary of a multi-Region key is a fact about the set, not a use of the key' },
    KMSInvalidStateException: (s) => ({ KeyId: s.pending, PrimaryRegion: 'us-east-1' }),
    KMSInternalException: INTERNAL,
    NotFoundException: () => ({ KeyId: MISSING, PrimaryRegion: 'us-east-1' }),
    UnsupportedOperationException: (s) => ({ KeyId: s.enabled, PrimaryRegion: 'us-east-1' }),
  },
  CancelKeyDeletion: {
    NotFoundException: notFound,
    KMSInvalidStateException: [(s) => ({ KeyId: s.enabled }), (s) => ({ KeyId: s.disabled })],
    KMSInternalException: INTERNAL,
  },
  CreateAlias: {
    AlreadyExistsException: (s) => ({ AliasName: 'alias/taken', TargetKeyId: s.other }),
    NotFoundException: () => ({ AliasName: 'alias/new', TargetKeyId: MISSING }),
    InvalidAliasNameException: [(s) => ({ AliasName: 'alias/aws/new', TargetKeyId: s.enabled }), (s) => ({ AliasName: 'alias/', TargetKeyId: s.enabled })],
    LimitExceededException: (s) => ({ AliasName: 'alias/fifty-first', TargetKeyId: keyWithAliases(s, 50) }),
    KMSInvalidStateException: (s) => ({ AliasName: 'alias/new', TargetKeyId: s.pending }),
    KMSInternalException: INTERNAL,
  },
  CreateKey: {
    UnsupportedOperationException: [() => ({ MultiRegion: true, Origin: 'EXTERNAL' }), () => ({ Origin: 'EXTERNAL_KEY_STORE' })],
    MalformedPolicyDocumentException: [() => ({ Policy: '{}' }), () => ({ Policy: lockingOut })],
    LimitExceededException: () => ({ Policy: oversizedPolicy }),
    TagException: [() => ({ Tags: [{ TagKey: 'aws:team', TagValue: 'x' }] }), () => ({ Tags: [{ TagKey: 'team', TagValue: 'a' }, { TagKey: 'team', TagValue: 'b' }] }), () => ({ Tags: fiftyOneTags })],
    CustomKeyStoreNotFoundException: () => ({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: 'cks-1234567890abcdef0' }),
    CustomKeyStoreInvalidStateException: (s) => ({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: storeIn(s, 'disconnected') }),
    KMSInternalException: INTERNAL,
  },
  Decrypt: {
    NotFoundException: (s) => ({ CiphertextBlob: s.blob, KeyId: MISSING }),
    DisabledException: (s) => ({ CiphertextBlob: s.disabledBlob }),
    KMSInvalidStateException: (s) => ({ CiphertextBlob: s.pendingBlob }),
    InvalidCiphertextException: [(s) => ({ CiphertextBlob: s.blob, EncryptionContext: { a: 'b' } }), () => ({ CiphertextBlob: b64('not a ciphertext blob at all') })],
    IncorrectKeyException: (s) => ({ CiphertextBlob: s.blob, KeyId: s.other }),
    InvalidKeyUsageException: (s) => ({ CiphertextBlob: s.blob, KeyId: s.enabled, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
    InvalidGrantTokenException: (s) => ({ CiphertextBlob: s.blob, ...GRANT }),
    DryRunOperationException: (s) => ({ CiphertextBlob: s.blob, DryRun: true }),
    KMSInternalException: INTERNAL,
  },
  DeleteAlias: {
    NotFoundException: () => ({ AliasName: 'alias/none' }),
    KMSInvalidStateException: { never: 'an alias can be deleted whatever the state of its key, as in AWS' },
    KMSInternalException: INTERNAL,
  },
  DescribeKey: { NotFoundException: notFound, KMSInternalException: INTERNAL },
  DisableKey: { NotFoundException: notFound, KMSInvalidStateException: invalidState, KMSInternalException: INTERNAL },
  DisableKeyRotation: ROTATION_ERRORS,
  EnableKey: {
    NotFoundException: notFound,
    KMSInvalidStateException: invalidState,
    LimitExceededException: { never: 'no quota of enabled keys: a vault holds as many as its disk does' },
    KMSInternalException: INTERNAL,
  },
  EnableKeyRotation: ROTATION_ERRORS,
  GetKeyPolicy: { NotFoundException: [notFound, (s) => ({ KeyId: s.enabled, PolicyName: 'other' })], KMSInvalidStateException: { never: 'a key in any state shows its policy' }, KMSInternalException: INTERNAL },
  ListKeyPolicies: { NotFoundException: notFound, KMSInvalidStateException: { never: 'a key in any state lists its policy' }, KMSInternalException: INTERNAL },
  CreateGrant: {
    NotFoundException: () => ({ KeyId: MISSING, ...bobsGrant }),
    DisabledException: (s) => ({ KeyId: s.disabled, ...bobsGrant }),
    KMSInvalidStateException: (s) => ({ KeyId: s.pending, ...bobsGrant }),
    InvalidGrantTokenException: (s) => ({ KeyId: s.enabled, ...bobsGrant, ...GRANT }),
    LimitExceededException: { never: 'a key takes 50,000 grants: reaching the quota is tested in test/integration/grants.test.ts' },
    DryRunOperationException: (s) => ({ KeyId: s.enabled, ...bobsGrant, DryRun: true }),
    KMSInternalException: INTERNAL,
  },
  ListGrants: {
    NotFoundException: notFound,
    InvalidMarkerException: (s) => ({ KeyId: s.enabled, Marker: 'garbage' }),
    InvalidGrantIdException: (s) => ({ KeyId: s.enabled, GrantId: 'not-a-grant-id' }),
    KMSInvalidStateException: { never: 'a key in any state lists its grants' },
    KMSInternalException: INTERNAL,
  },
  ListRetirableGrants: {
    InvalidMarkerException: () => ({ RetiringPrincipal: 'arn:aws:iam::111122223333:user/carol', Marker: 'garbage' }),
    NotFoundException: { never: 'AWS raises it for a retiring principal it does not know; Strongroom lists what a principal may retire, none for one it does not know' },
    KMSInternalException: INTERNAL,
  },
  RetireGrant: {
    InvalidGrantTokenException: () => ({ GrantToken: GRANT.GrantTokens[0] }),
    InvalidGrantIdException: (s) => ({ KeyId: s.enabled, GrantId: 'not-a-grant-id' }),
    NotFoundException: [(s) => ({ KeyId: s.enabled, GrantId: '0'.repeat(64) }), () => ({ KeyId: MISSING, GrantId: '0'.repeat(64) })],
    KMSInvalidStateException: { never: 'a grant of a key in any state can be retired' },
    DryRunOperationException: (s) => ({ KeyId: s.enabled, GrantId: '0'.repeat(64), DryRun: true }),
    KMSInternalException: INTERNAL,
  },
  RevokeGrant: {
    NotFoundException: [() => ({ KeyId: MISSING, GrantId: '0'.repeat(64) }), (s) => ({ KeyId: s.enabled, GrantId: '0'.repeat(64) })],
    InvalidGrantIdException: (s) => ({ KeyId: s.enabled, GrantId: 'not-a-grant-id' }),
    KMSInvalidStateException: { never: 'a grant of a key in any state can be revoked' },
    DryRunOperationException: (s) => ({ KeyId: s.enabled, GrantId: '0'.repeat(64), DryRun: true }),
    KMSInternalException: INTERNAL,
  },
  PutKeyPolicy: {
    NotFoundException: [() => ({ KeyId: MISSING, Policy: '{}' }), (s) => ({ KeyId: s.enabled, PolicyName: 'other', Policy: '{}' })],
    MalformedPolicyDocumentException: [(s) => ({ KeyId: s.enabled, Policy: '{"Statement": []}' }), (s) => ({ KeyId: s.enabled, Policy: lockingOut })],
    LimitExceededException: (s) => ({ KeyId: s.enabled, Policy: oversizedPolicy }),
    KMSInvalidStateException: (s) => ({ KeyId: s.pending, Policy: '{}' }),
    UnsupportedOperationException: { never: 'every key takes a policy, AWS managed keys too (they refuse the change with AccessDeniedException, before the key is looked at)' },
    KMSInternalException: INTERNAL,
  },
  Encrypt: encryptingErrors({ Plaintext: b64('secret') }),
  GenerateDataKey: encryptingErrors({ KeySpec: 'AES_256' }),
  GenerateDataKeyWithoutPlaintext: encryptingErrors({ NumberOfBytes: 16 }),
  GenerateDataKeyPair: { ...encryptingErrors({ KeyPairSpec: 'ECC_NIST_P256' }), UnsupportedOperationException: (s) => ({ KeyId: keyInStore(s), KeyPairSpec: 'SM2' }) },
  GenerateDataKeyPairWithoutPlaintext: { ...encryptingErrors({ KeyPairSpec: 'RSA_2048' }), UnsupportedOperationException: (s) => ({ KeyId: keyInStore(s), KeyPairSpec: 'SM2' }) },
  GenerateMac: keyErrors((s) => s.mac, macs),
  VerifyMac: { ...keyErrors((s) => s.mac, () => ({ ...macs(), Mac: b64('m'.repeat(32)) })), KMSInvalidMacException: (s) => ({ KeyId: s.mac, ...macs(), Mac: b64('m'.repeat(32)) }) },
  Sign: keyErrors((s) => s.signer, signing),
  Verify: { ...keyErrors((s) => s.signer, () => ({ ...signing(), Signature: b64('not a signature') })), KMSInvalidSignatureException: (s) => ({ KeyId: s.signer, ...signing(), Signature: b64('not a signature') }) },
  DeriveSharedSecret: keyErrors((s) => s.agreement, (s) => ({ KeyAgreementAlgorithm: 'ECDH', PublicKey: s.agreementPublicKey })),
  GetParametersForImport: {
    NotFoundException: () => ({ KeyId: MISSING, ...wrapping }),
    KMSInvalidStateException: (s) => ({ KeyId: s.pending, ...wrapping }),
    UnsupportedOperationException: [(s) => ({ KeyId: s.enabled, ...wrapping }), (s) => ({ KeyId: s.external, ...wrapping, WrappingAlgorithm: 'RSAES_PKCS1_V1_5' })],
    KMSInternalException: INTERNAL,
  },
  ImportKeyMaterial: {
    NotFoundException: () => ({ KeyId: MISSING, ...strangeImport }),
    KMSInvalidStateException: (s) => ({ KeyId: s.pending, ...strangeImport }),
    UnsupportedOperationException: [(s) => ({ KeyId: s.enabled, ...strangeImport }), (s) => ({ KeyId: s.external, ...strangeImport, KeyMaterialDescription: 'x' })],
    InvalidImportTokenException: (s) => ({ KeyId: s.external, ...strangeImport }),
    ExpiredImportTokenException: (s) => ({ KeyId: s.external, ...expiredImport(s) }),
    InvalidCiphertextException: (s) => ({ KeyId: s.external, ...strangeImport, ImportToken: wrappedFor(s, randomBytes(32)).ImportToken }),
    IncorrectKeyMaterialException: (s) => ({ KeyId: s.external, ...wrappedFor(s, randomBytes(32)) }),
    KMSInternalException: INTERNAL,
  },
  DeleteImportedKeyMaterial: {
    NotFoundException: notFound,
    KMSInvalidStateException: { never: 'the material of a key in any state can be deleted (a key pending deletion stays so)' },
    UnsupportedOperationException: (s) => ({ KeyId: s.enabled }),
    KMSInternalException: INTERNAL,
  },
  CreateCustomKeyStore: {
    CustomKeyStoreNameInUseException: (s) => ({ CustomKeyStoreName: s.storeName, TrustAnchorCertificate: s.ownTokenUri }),
    CloudHsmClusterInUseException: (s) => ({ CustomKeyStoreName: 'another', TrustAnchorCertificate: s.ownTokenUri }),
    CloudHsmClusterNotFoundException: () => ({ CustomKeyStoreName: 'nowhere', TrustAnchorCertificate: 'pkcs11:token=Nowhere' }),
    IncorrectTrustAnchorException: () => ({ CustomKeyStoreName: 'bad uri', TrustAnchorCertificate: 'not a PKCS#11 URI' }),
    LimitExceededException: { never: 'no quota of custom key stores: one per token' },
    KMSInternalException: INTERNAL,
  },
  DescribeCustomKeyStores: {
    CustomKeyStoreNotFoundException: [() => ({ CustomKeyStoreId: 'cks-1234567890abcdef0' }), () => ({ CustomKeyStoreName: 'none' })],
    InvalidMarkerException: () => ({ Marker: 'garbage' }),
    KMSInternalException: INTERNAL,
  },
  ConnectCustomKeyStore: {
    CustomKeyStoreNotFoundException: () => ({ CustomKeyStoreId: 'cks-1234567890abcdef0' }),
    CustomKeyStoreInvalidStateException: (s) => ({ CustomKeyStoreId: storeIn(s, 'failed') }),
    KMSInternalException: INTERNAL,
  },
  DisconnectCustomKeyStore: {
    CustomKeyStoreNotFoundException: () => ({ CustomKeyStoreId: 'cks-1234567890abcdef0' }),
    CustomKeyStoreInvalidStateException: { never: 'disconnecting a store succeeds in any state (a disconnected one stays so)' },
    KMSInternalException: INTERNAL,
  },
  UpdateCustomKeyStore: {
    CustomKeyStoreNotFoundException: () => ({ CustomKeyStoreId: 'cks-1234567890abcdef0' }),
    CustomKeyStoreNameInUseException: (s) => ({ CustomKeyStoreId: storeIn(s, 'disconnected'), NewCustomKeyStoreName: 'taken name' }),
    CloudHsmClusterNotRelatedException: (s) => ({ CustomKeyStoreId: storeIn(s, 'disconnected'), CloudHsmClusterId: 'cluster-234567abcdefg' }),
    CloudHsmClusterNotFoundException: { never: 'a store keeps its token (CloudHsmClusterNotRelatedException for another one)' },
    CustomKeyStoreInvalidStateException: (s) => ({ CustomKeyStoreId: storeIn(s, 'connected'), KeyStorePassword: 'a new password' }),
    KMSInternalException: INTERNAL,
  },
  DeleteCustomKeyStore: {
    CustomKeyStoreNotFoundException: () => ({ CustomKeyStoreId: 'cks-1234567890abcdef0' }),
    CustomKeyStoreHasCMKsException: (s) => ({ CustomKeyStoreId: storeIn(s, 'holding a key') }),
    CustomKeyStoreInvalidStateException: (s) => ({ CustomKeyStoreId: storeIn(s, 'connected') }),
    KMSInternalException: INTERNAL,
  },
  GetPublicKey: {
    NotFoundException: notFound,
    DisabledException: disabled,
    KMSInvalidStateException: invalidState,
    UnsupportedOperationException: (s) => ({ KeyId: s.enabled }),
    InvalidGrantTokenException: (s) => ({ KeyId: s.signer, ...GRANT }),
    InvalidKeyUsageException: { never: 'GetPublicKey answers for every usage of an asymmetric key; for a key without a public key it is UnsupportedOperationException' },
    KMSInternalException: INTERNAL,
  },
  GenerateRandom: {
    UnsupportedOperationException: () => ({ NumberOfBytes: 16, Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: b64('document') } }),
    CustomKeyStoreNotFoundException: () => ({ NumberOfBytes: 16, CustomKeyStoreId: 'cks-1234567890abcdef0' }),
    CustomKeyStoreInvalidStateException: (s) => ({ NumberOfBytes: 16, CustomKeyStoreId: storeIn(s, 'disconnected') }),
    KMSInternalException: INTERNAL,
  },
  GetKeyRotationStatus: {
    NotFoundException: notFound,
    KMSInvalidStateException: { never: 'answers for a key in any state this build can make (AWS refuses only a key pending import)' },
    UnsupportedOperationException: unrotatable,
    KMSInternalException: INTERNAL,
  },
  ListAliases: { NotFoundException: notFound, InvalidMarkerException: () => ({ Marker: 'garbage' }), KMSInternalException: INTERNAL },
  ListKeyRotations: {
    NotFoundException: notFound,
    InvalidMarkerException: (s) => ({ KeyId: s.enabled, Marker: 'garbage' }),
    KMSInvalidStateException: { never: 'lists the rotations of a key in any state this build can make (AWS refuses only a key pending import)' },
    UnsupportedOperationException: unrotatable,
    KMSInternalException: INTERNAL,
  },
  ListKeys: { InvalidMarkerException: () => ({ Marker: 'garbage' }), KMSInternalException: INTERNAL },
  ListResourceTags: { NotFoundException: notFound, InvalidMarkerException: (s) => ({ KeyId: s.enabled, Marker: 'garbage' }), KMSInternalException: INTERNAL },
  ReEncrypt: {
    NotFoundException: [(s) => ({ CiphertextBlob: s.blob, DestinationKeyId: MISSING }), (s) => ({ CiphertextBlob: s.blob, SourceKeyId: MISSING, DestinationKeyId: s.enabled })],
    DisabledException: [(s) => ({ CiphertextBlob: s.disabledBlob, DestinationKeyId: s.enabled }), (s) => ({ CiphertextBlob: s.blob, DestinationKeyId: s.disabled })],
    KMSInvalidStateException: [(s) => ({ CiphertextBlob: s.pendingBlob, DestinationKeyId: s.enabled }), (s) => ({ CiphertextBlob: s.blob, DestinationKeyId: s.pending })],
    InvalidCiphertextException: (s) => ({ CiphertextBlob: s.blob, SourceEncryptionContext: { a: 'b' }, DestinationKeyId: s.enabled }),
    IncorrectKeyException: (s) => ({ CiphertextBlob: s.blob, SourceKeyId: s.other, DestinationKeyId: s.enabled }),
    InvalidKeyUsageException: [(s) => ({ CiphertextBlob: s.blob, DestinationKeyId: s.mac }), (s) => ({ CiphertextBlob: s.blob, SourceKeyId: s.enabled, DestinationKeyId: s.enabled, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })],
    InvalidGrantTokenException: (s) => ({ CiphertextBlob: s.blob, DestinationKeyId: s.other, ...GRANT }),
    DryRunOperationException: (s) => ({ CiphertextBlob: s.blob, DestinationKeyId: s.other, DryRun: true }),
    KMSInternalException: INTERNAL,
  },
  RotateKeyOnDemand: {
    ...ROTATION_ERRORS,
    LimitExceededException: (s) => {
      const key = newKey(s.vault);
      s.vault.store.keys.update(key, { onDemandRotations: 25 });
      return { KeyId: key };
    },
    ConflictException: (s) => {
      const key = newKey(s.vault);
      call(s.vault, 'EnableKeyRotation', { KeyId: key, RotationPeriodInDays: 90 });
      s.vault.store.keys.update(key, { nextRotationAt: Date.now() + 10 * 60 * 1000 });
      return { KeyId: key };
    },
  },
  ScheduleKeyDeletion: { NotFoundException: notFound, KMSInvalidStateException: invalidState, KMSInternalException: INTERNAL },
  TagResource: {
    NotFoundException: () => ({ KeyId: MISSING, Tags: [] }),
    KMSInvalidStateException: (s) => ({ KeyId: s.pending, Tags: [] }),
    LimitExceededException: (s) => ({ KeyId: s.enabled, Tags: fiftyOneTags }),
    TagException: (s) => ({ KeyId: s.enabled, Tags: [{ TagKey: 'AWS:owner', TagValue: 'x' }] }),
    KMSInternalException: INTERNAL,
  },
  UntagResource: {
    NotFoundException: () => ({ KeyId: MISSING, TagKeys: ['team'] }),
    KMSInvalidStateException: (s) => ({ KeyId: s.pending, TagKeys: ['team'] }),
    TagException: (s) => ({ KeyId: s.enabled, TagKeys: ['team', 'aws:owner'] }),
    KMSInternalException: INTERNAL,
  },
  UpdateAlias: {
    NotFoundException: [(s) => ({ AliasName: 'alias/none', TargetKeyId: s.enabled }), () => ({ AliasName: 'alias/taken', TargetKeyId: MISSING })],
    LimitExceededException: (s) => ({ AliasName: 'alias/taken', TargetKeyId: keyWithAliases(s, 50) }),
    KMSInvalidStateException: (s) => ({ AliasName: 'alias/taken', TargetKeyId: s.pending }),
    KMSInternalException: INTERNAL,
  },
  UpdateKeyDescription: {
    NotFoundException: () => ({ KeyId: MISSING, Description: 'x' }),
    KMSInvalidStateException: (s) => ({ KeyId: s.pending, Description: 'x' }),
    KMSInternalException: INTERNAL,
  },
};

/** The table's entry for `error` of `name`: its own, or the reason no operation raises it. */
function entryOf(name: OperationName, error: string): Entry | undefined {
  const never = NEVER[error];
  return TABLE[name]?.[error] ?? (never === undefined ? undefined : { never });
}

let scene: Scene;
/** A new Scene for the enclosing describe block, closed after it: a process holds one vault at a time. */
function sceneForThisBlock(): void {
  beforeAll(() => {
    scene = makeScene();
  });
  afterAll(() => {
    scene.vault.close();
  });
}

function makeScene(): Scene {
  const { vault } = makeVault({ region: 'eu-west-1' });
  vault.unlock(PIN);
  const encryptedUnder = (key: string): string => call(vault, 'Encrypt', { KeyId: key, Plaintext: b64('for later') }).CiphertextBlob ?? '';
  const [enabled, other, disabledKey, pending] = [newKey(vault), newKey(vault), newKey(vault), newKey(vault)];
  const keyOf = (request: Record<string, unknown>): string => call(vault, 'CreateKey', request).KeyMetadata?.KeyId ?? '';
  const mac = keyOf({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  const signer = keyOf({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  const agreement = keyOf({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
  const agreementPublicKey = call(vault, 'GetPublicKey', { KeyId: agreement }).PublicKey ?? '';
  const external = keyOf({ Origin: 'EXTERNAL' });
  const multiRegion = keyOf({ MultiRegion: true });
  const ownTokenUri = `pkcs11:serial=${vault.record.tokenSerial}`;
  const store = call(vault, 'CreateCustomKeyStore', { CustomKeyStoreName: 'own token', TrustAnchorCertificate: ownTokenUri }).CustomKeyStoreId ?? '';
  // A second store's row, for a name that is taken (one token holds one store, and this vault has one token).
  vault.store.customKeyStores.insert({ id: 'cks-0123456789abcdef0', name: 'taken name', tokenUri: 'pkcs11:token=Elsewhere', clusterId: 'cluster-abcdefghijklmnop', wrappedPin: null, connected: 0, createdAt: Date.now() });
  const made = { vault, enabled, other, disabled: disabledKey, pending, mac, signer, agreement, agreementPublicKey, external, multiRegion, store, storeName: 'own token', ownTokenUri, blob: encryptedUnder(enabled), disabledBlob: encryptedUnder(disabledKey), pendingBlob: encryptedUnder(pending) };
  call(vault, 'DisableKey', { KeyId: disabledKey });
  call(vault, 'CreateAlias', { AliasName: 'alias/leaving', TargetKeyId: pending });
  call(vault, 'ScheduleKeyDeletion', { KeyId: pending, PendingWindowInDays: 7 });
  call(vault, 'CreateAlias', { AliasName: 'alias/taken', TargetKeyId: enabled });
  call(vault, 'ImportKeyMaterial', { KeyId: external, ...wrappedFor(made, randomBytes(32)) });
  return made;
}

describe('the documented errors of each operation', () => {
  sceneForThisBlock();

  it('are each accounted for: no more, no fewer than the AWS model lists', () => {
    for (const name of implementedOperations()) {
      const documented: readonly string[] = OPERATIONS[name].errors;
      expect({ name, missing: documented.filter((error) => entryOf(name, error) === undefined) }).toEqual({ name, missing: [] });
      expect({ name, extra: Object.keys(TABLE[name] ?? {}).filter((error) => !documented.includes(error)) }).toEqual({ name, extra: [] });
    }
  });

  for (const [name, errors] of Object.entries(TABLE) as [OperationName, Record<string, Entry>][]) {
    for (const [error, entry] of Object.entries(errors)) {
      if ('never' in entry) continue;
      it(`${name}: ${error}`, () => {
        for (const trigger of [entry].flat()) expect(failure(scene.vault, name, trigger(scene))).toMatch(new RegExp(`^${error}: `));
      });
    }
  }
});

describe('what AWS allows on a disabled key or one pending deletion', () => {
  sceneForThisBlock();

  it('succeeds on a disabled key', () => {
    const { vault, disabled: key } = scene;
    call(vault, 'DisableKey', { KeyId: key });
    call(vault, 'UpdateKeyDescription', { KeyId: key, Description: 'retired' });
    call(vault, 'TagResource', { KeyId: key, Tags: [{ TagKey: 'state', TagValue: 'off' }] });
    call(vault, 'UntagResource', { KeyId: key, TagKeys: ['state'] });
    call(vault, 'CreateAlias', { AliasName: 'alias/retired', TargetKeyId: key });
    call(vault, 'UpdateAlias', { AliasName: 'alias/retired', TargetKeyId: key });
    call(vault, 'DeleteAlias', { AliasName: 'alias/retired' });
    expect(call(vault, 'GetKeyRotationStatus', { KeyId: key }).KeyRotationEnabled).toBe(false);
    expect(call(vault, 'ListKeyRotations', { KeyId: key }).Rotations).toEqual([]);
    expect(call(vault, 'ListResourceTags', { KeyId: key }).Tags).toEqual([]);
    expect(call(vault, 'ListAliases', { KeyId: key }).Aliases).toEqual([]);
    expect(call(vault, 'DescribeKey', { KeyId: key }).KeyMetadata?.KeyState).toBe('Disabled');
  });

  it('reads, and lets its aliases go, on a key pending deletion', () => {
    const { vault, pending: key, enabled } = scene;
    expect(call(vault, 'ListAliases', { KeyId: key }).Aliases?.map((a) => a.AliasName)).toEqual(['alias/leaving']);
    call(vault, 'UpdateAlias', { AliasName: 'alias/leaving', TargetKeyId: enabled });
    call(vault, 'DeleteAlias', { AliasName: 'alias/leaving' });
    expect(call(vault, 'GetKeyRotationStatus', { KeyId: key }).KeyRotationEnabled).toBe(false);
    expect(call(vault, 'ListKeyRotations', { KeyId: key }).Rotations).toEqual([]);
    expect(call(vault, 'ListResourceTags', { KeyId: key }).Tags).toEqual([]);
    expect(call(vault, 'DescribeKey', { KeyId: key }).KeyMetadata?.KeyState).toBe('PendingDeletion');
  });
});

describe('a vault whose audit log cannot be written', () => {
  it('answers every operation with KMSInternalException', () => {
    const { home, vault } = makeVault(); // its own vault: this test leaves it so
    vault.unlock(PIN);
    try {
      const key = newKey(vault);
      const other = new Database(vaultFiles(home).db);
      other.exec("CREATE TRIGGER full_disk BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
      other.close();
      for (const name of implementedOperations()) {
        expect({ name, error: failure(vault, name, { KeyId: key }) }).toMatchObject({ name, error: expect.stringMatching(/^KMSInternalException: The audit log could not be written/) as unknown });
      }
    } finally {
      vault.close();
    }
  });
});
