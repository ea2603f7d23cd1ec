import * as z from 'zod';
import { AWS_ERROR_TYPES, IAM_ERROR_TYPES, STRONGROOM_ERROR_TYPES } from '../errors';
import type { CHANNEL_NAMES } from './channelNames';
import { EXTENSIONS } from '../kms/extensions';
import { CONTACT_OPERATIONS, type ContactOperationName } from '../files/contacts';
import { IDENTITY_OPERATIONS, type IdentityOperationName } from '../files/identities';
import { FileJobRequest, FileJobState, Folder } from '../files/jobs';
import { BYOK_WRAPPING_ALGORITHMS, CEREMONY_OPERATIONS, MAX_CUSTODIANS, type CeremonyOperationName } from '../ceremonies/operations';
import { IAM_OPERATIONS, type IamOperationName } from '../iam/operations';
import { OPERATIONS, type OperationName } from '../kms/shapes.generated';
import { ROOT_OF_TRUST_KINDS } from '../vault';
import { MAX_AUTO_LOCK_SECONDS, MAX_UNLOCK_ATTEMPTS } from '../limits';

/**
 * The one channel map between the interface and the core: every request the
 * renderer may make, with zod schemas for its request and response. The
 * Electron preload, the IPC handlers and the browser host are all built from
 * it, and validate every message against it.
 */

const pin = z.string().min(1).max(255);

const VaultStatus = z.strictObject({
  Home: z.string(),
  Initialized: z.boolean(),
  State: z.enum(['Uninitialized', 'Locked', 'Unlocked']),
  VaultId: z.string().optional(),
  AccountId: z.string().optional(),
  Region: z.string().optional(),
  CreationDate: z.string().optional(),
  Token: z.strictObject({ Embedded: z.boolean(), Module: z.string(), Label: z.string(), Serial: z.string() }).optional(),
  RootOfTrust: z.enum(['aes-gcm', 'rsa-oaep-sha256', 'rsa-oaep-sha1']).optional(),
  AutoLockSeconds: z.number().int().optional(),
  AutoLockAt: z.number().optional(),
  HeldByPid: z.number().int().optional(),
  LockReason: z.string().optional(),
  LockedAt: z.number().optional(),
  UnlockAttemptsLeft: z.number().int().optional(),
  MaxUnlockAttempts: z.number().int().optional(),
  UnlockNotBefore: z.number().optional(),
  /** Who the interface acts as while the vault is unlocked (the account root, or an IAM user and the access key it signed in with), and through which door. */
  ActingAs: z.strictObject({ Principal: z.string(), Door: z.enum(['app', 'host']), AccessKeyId: z.string().optional() }).optional(),
});

const Token = z.strictObject({
  SlotId: z.string(),
  Label: z.string(),
  Serial: z.string(),
  Manufacturer: z.string(),
  Model: z.string(),
  Initialized: z.boolean(),
  PinLocked: z.boolean(),
  MinPinLength: z.number().int(),
  MaxPinLength: z.number().int(),
});

const operationNames = Object.keys(OPERATIONS) as [OperationName, ...OperationName[]];
const iamOperationNames = Object.keys(IAM_OPERATIONS) as [IamOperationName, ...IamOperationName[]];
const identityOperationNames = Object.keys(IDENTITY_OPERATIONS) as IdentityOperationName[];
/** The operations on contacts and age identities the interface calls (all but UnwrapAgeFileKey, which only the core's file work needs). */
const fileOperationNames = [...(Object.keys(CONTACT_OPERATIONS) as ContactOperationName[]), ...identityOperationNames.filter((name) => name !== 'UnwrapAgeFileKey')] as [ContactOperationName | IdentityOperationName, ...(ContactOperationName | IdentityOperationName)[]];

/** An IAM access key as a door is given it. */
const accessKey = z.strictObject({ accessKeyId: z.string().min(16).max(128), secretAccessKey: z.string().min(1).max(128) });

/** A call the command line sends the process that holds the vault on its local channel: an AWS KMS or IAM operation, a contact's, or the policy simulator, as the root or as the user of `accessKey`. */
export const CliCall = z.strictObject({ operation: z.enum([...operationNames, ...iamOperationNames, ...fileOperationNames, 'UnwrapAgeFileKey', ...(Object.keys(CEREMONY_OPERATIONS) as CeremonyOperationName[]), 'SimulatePolicy']), input: z.unknown(), accessKey: accessKey.optional() });

/** Who takes part in a ceremony done in the interface, and where its signed transcript goes (BASE.json, .html, .txt, .sig). */
const ceremonyRecord = z.strictObject({
  participants: CEREMONY_OPERATIONS.SignCeremonyTranscript.input.shape.Participants,
  transcript: z.string().min(1).max(4096),
  /** The steps the participants confirmed on the screen before the ceremony's own, each with when. */
  steps: CEREMONY_OPERATIONS.SignCeremonyTranscript.input.shape.Steps.max(16).optional(),
});

/** A file a ceremony reads or writes, named by its path on this machine. */
const ceremonyPath = z.string().min(1).max(4096);
/** A PKCS#11 module path or RFC 7512 URI, and a token's label. */
const modulePath = z.string().min(1).max(4096);
const tokenLabel = z.string().min(1).max(32);
/** M share files of a recovery split, each with its custodian's passphrase. */
const shareFiles = z.array(z.strictObject({ path: ceremonyPath, passphrase: z.string().min(1).max(1024) })).min(2).max(MAX_CUSTODIANS);
/** The files of the signed transcript, when one was asked for. */
const transcriptFiles = z.array(z.string()).optional();

const x509Key = z.string().min(1).max(2048);
const x509Text = z.string().max(4096);
const x509Days = z.number().int();
const x509Pem = z.string().min(1).max(65_536);
const x509Algorithm = z.string().max(64).optional();

export const CHANNELS = {
  /** The vault's status; needs no PIN. */
  'vault:status': { request: z.strictObject({}), response: VaultStatus },
  /** Creates the vault (embedded SoftHSM2 token unless a PKCS#11 module is given); the SO PIN comes back once. */
  'vault:init': {
    request: z.strictObject({
      pin,
      pkcs11: z.string().min(1).max(4096).optional(),
      tokenLabel: z.string().min(1).max(32).optional(),
      rootOfTrust: z.enum(ROOT_OF_TRUST_KINDS),
      record: ceremonyRecord.optional(),
    }),
    response: z.strictObject({ status: VaultStatus, securityOfficerPin: z.string().optional(), Transcript: transcriptFiles }),
  },
  'vault:unlock': { request: z.strictObject({ pin }), response: VaultStatus },
  'vault:lock': { request: z.strictObject({}), response: VaultStatus },
  'vault:setAutoLock': { request: z.strictObject({ seconds: z.number().int().min(0).max(MAX_AUTO_LOCK_SECONDS) }), response: VaultStatus },
  /** Someone is using the interface: restarts the idle clock of the unlocked vault (does nothing while locked); the status says when it will lock. */
  'vault:activity': { request: z.strictObject({}), response: VaultStatus },
  /** Changes the token's user PIN of the unlocked vault; a wrong current PIN counts as a failed unlock. */
  'vault:changePin': { request: z.strictObject({ currentPin: pin, newPin: pin }), response: VaultStatus },
  /** How many wrong PINs in a row lock the vault out. */
  'vault:setUnlockAttempts': { request: z.strictObject({ attempts: z.number().int().min(1).max(MAX_UNLOCK_ATTEMPTS) }), response: VaultStatus },
  /** The tokens a PKCS#11 module offers, for the first-run screen. */
  'tokens:list': { request: z.strictObject({ pkcs11: z.string().min(1).max(4096) }), response: z.strictObject({ Module: z.string(), Tokens: z.array(Token) }) },
  /** One AWS KMS operation in its JSON shapes; the core validates `input` against the AWS model. */
  'kms:call': { request: z.strictObject({ operation: z.enum(operationNames), input: z.unknown() }), response: z.unknown() },
  /** One IAM operation (users, access keys, their policies) in IAM's shapes. */
  'iam:call': { request: z.strictObject({ operation: z.enum(iamOperationNames), input: z.unknown() }), response: z.unknown() },
  /** One operation on contacts (CreateContact, ListContacts, DeleteContact) or age identities (CreateAgeIdentity, ListAgeIdentities, DeleteAgeIdentity). */
  'files:call': { request: z.strictObject({ operation: z.enum(fileOperationNames), input: z.unknown() }), response: z.unknown() },
  /** Starts encrypting or decrypting a batch of files on a worker thread of the core; its progress is read with files:job. */
  'files:start': { request: FileJobRequest, response: FileJobState },
  'files:job': { request: z.strictObject({ jobId: z.uuid() }), response: FileJobState },
  /** Stops a batch: the file being read leaves nothing behind; those done stay. */
  'files:cancel': { request: z.strictObject({ jobId: z.uuid() }), response: FileJobState },
  /** A folder's folders and files (the home folder when none is given), to pick files and where results go. */
  'files:browse': { request: z.strictObject({ dir: z.string().min(1).max(4096).optional() }), response: Folder },
  /** Shows a result in the desktop's file manager where the app can (Electron); says the folder otherwise. */
  'files:reveal': { request: z.strictObject({ path: z.string().min(1).max(4096) }), response: z.strictObject({ folder: z.string(), shown: z.boolean() }) },
  /** The vault's id and its current recovery split. */
  'recovery:status': { request: z.strictObject({}), response: CEREMONY_OPERATIONS.DescribeRecoverySplit.output },
  /** Makes a recovery split: each custodian's share sealed with their passphrase and written to `outDir`, then the vault takes it (docs/ceremonies.md); with `record`, its signed transcript. */
  'recovery:split': {
    request: z.strictObject({
      threshold: CEREMONY_OPERATIONS.CreateRecoverySplit.input.shape.Threshold,
      custodians: z.array(z.strictObject({ name: z.string().min(1).max(64), passphrase: z.string().min(12).max(1024) })).min(2).max(MAX_CUSTODIANS),
      outDir: ceremonyPath,
      print: z.boolean(),
      record: ceremonyRecord.optional(),
    }),
    response: z.strictObject({ RecoverySplit: z.unknown(), Files: z.array(z.string()), Transcript: transcriptFiles }),
  },
  /** Backs up the whole unlocked vault to `file`, encrypted under its root key (docs/ceremonies.md). */
  'backup:create': {
    request: z.strictObject({ file: ceremonyPath, record: ceremonyRecord.optional() }),
    response: z.strictObject({ File: z.string(), Bytes: z.number(), Manifest: z.record(z.string(), z.unknown()), Transcript: transcriptFiles }),
  },
  /** A backup's manifest, read without any key. */
  'backup:inspect': { request: z.strictObject({ file: ceremonyPath }), response: z.record(z.string(), z.unknown()) },
  /**
   * Restores a backup into this home, which holds no vault yet, opening it
   * with M of its recovery split's share files (each with its custodian's
   * passphrase) or with the token it was sealed on (`oldToken`: its PIN, and
   * the home of an embedded one or where an external one is now); the root
   * key is sealed onto a new embedded token with passphrase `pin`, or onto a
   * token of module `pkcs11` with user PIN `pin`; then the vault is
   * unlocked. A new embedded token's security-officer PIN comes back once.
   */
  'vault:restore': {
    request: z.strictObject({
      file: ceremonyPath,
      shares: shareFiles.optional(),
      oldToken: z.strictObject({ pin, home: ceremonyPath.optional(), pkcs11: modulePath.optional() }).optional(),
      pin,
      pkcs11: modulePath.optional(),
      tokenLabel: tokenLabel.optional(),
      rootOfTrust: z.enum(ROOT_OF_TRUST_KINDS).optional(),
      record: ceremonyRecord.optional(),
    }),
    response: z.strictObject({ status: VaultStatus, securityOfficerPin: z.string().optional(), Transcript: transcriptFiles }),
  },
  /**
   * Moves the vault's root key to a token of a PKCS#11 module (its label,
   * its user PIN `pin`), wrapped as `rootOfTrust` says, opening it with the
   * current token's PIN (`currentPin`, the vault unlocked), or, when that
   * token is gone, with M share files of its recovery split; the vault is
   * then unlocked on the new token. The old token's objects of the vault
   * are named, to destroy.
   */
  'vault:rewrap': {
    request: z.strictObject({
      currentPin: pin.optional(),
      shares: shareFiles.optional(),
      pkcs11: modulePath,
      tokenLabel: tokenLabel.optional(),
      pin,
      rootOfTrust: z.enum(ROOT_OF_TRUST_KINDS),
      record: ceremonyRecord.optional(),
    }),
    response: z.strictObject({ status: VaultStatus, OldTokenObjects: z.strictObject({ Token: z.string(), Labels: z.array(z.string()) }), Transcript: transcriptFiles }),
  },
  /** In a replica's vault: writes a replication request (this vault's Region, a public key good for 24 hours) to `file`, for the primary's vault. */
  'replica:request': {
    request: z.strictObject({ file: ceremonyPath }),
    response: z.strictObject({ File: z.string(), Region: z.string(), RequestId: z.string() }),
  },
  /** In a primary's vault: answers the request in `requestFile` with a bundle of multi-Region key `keyId`, written to `file` (ReplicateKey). */
  'replica:export': {
    request: z.strictObject({ keyId: z.string().min(1).max(2048), requestFile: ceremonyPath, file: ceremonyPath, record: ceremonyRecord.optional() }),
    response: z.strictObject({ File: z.string(), ReplicaKeyMetadata: z.record(z.string(), z.unknown()), Transcript: transcriptFiles }),
  },
  /** In a replica's vault: opens the bundle in `file` as a replica key (ImportReplicaKey). */
  'replica:import': {
    request: z.strictObject({ file: ceremonyPath, record: ceremonyRecord.optional() }),
    response: z.strictObject({ ReplicaKeyMetadata: z.record(z.string(), z.unknown()), Transcript: transcriptFiles }),
  },
  /** Wraps the material of exportable key `keyId` under the wrapping public key in `wrappingPublicKeyFile` (from another KMS's GetParametersForImport) and writes the EncryptedKeyMaterial to `file` (WrapKeyMaterial). */
  'byok:wrap': {
    request: z.strictObject({ keyId: z.string().min(1).max(2048), wrappingPublicKeyFile: ceremonyPath, wrappingAlgorithm: z.enum(BYOK_WRAPPING_ALGORITHMS), file: ceremonyPath, record: ceremonyRecord.optional() }),
    response: z.strictObject({ File: z.string(), KeyId: z.string(), KeyMaterialId: z.string(), WrappingAlgorithm: z.string(), WrappingPublicKeySha256: z.string(), Transcript: transcriptFiles }),
  },
  /** Acts as the IAM user of an access key from now until the vault locks (unlocking again with the PIN acts as the account root); recorded as ConsoleLogin. */
  'session:actAs': { request: accessKey, response: VaultStatus },
  /** A page of the key list, filtered and paged by the core (fast with 100,000 keys). */
  'keys:page': { request: EXTENSIONS.ListKeyDetails.input, response: EXTENSIONS.ListKeyDetails.output },
  /** A page of audit records, newest first, optionally filtered. */
  'audit:page': { request: EXTENSIONS.LookupEvents.input, response: EXTENSIONS.LookupEvents.output },
  'audit:verify': {
    request: z.strictObject({}),
    response: z.strictObject({
      Valid: z.boolean(),
      Records: z.number().int(),
      Checkpoints: z.number().int(),
      SignedRecords: z.number().int(),
      TokenCompared: z.boolean(),
      FirstBadRecord: z.number().int().optional(),
      Reason: z.string().optional(),
      Problem: z.string().optional(),
    }),
  },
  /** The policy simulator: the decision for a principal, action, key and encryption context, and what makes it (docs/policies.md). */
  'policy:simulate': { request: EXTENSIONS.SimulatePolicy.input, response: EXTENSIONS.SimulatePolicy.output },
  /** A certificate request, self-signed certificate or issued certificate (PEM) signed by a SIGN_VERIFY key, with KMS Sign (docs/certificates.md). */
  'x509:make': {
    request: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('csr'), keyId: x509Key, subject: x509Text, san: x509Text.optional(), signingAlgorithm: x509Algorithm }),
      z.strictObject({ kind: z.literal('self-signed'), keyId: x509Key, subject: x509Text, san: x509Text.optional(), days: x509Days, ca: z.boolean(), signingAlgorithm: x509Algorithm }),
      z.strictObject({ kind: z.literal('issued'), keyId: x509Key, issuerCert: x509Pem, csr: x509Pem, days: x509Days, ca: z.boolean(), signingAlgorithm: x509Algorithm }),
    ]),
    response: z.strictObject({ pem: z.string() }),
  },
} as const;

export type Channel = keyof typeof CHANNELS;
export type ChannelRequest<C extends Channel> = z.input<(typeof CHANNELS)[C]['request']>;
export type ChannelResponse<C extends Channel> = z.output<(typeof CHANNELS)[C]['response']>;

/** Every reply on every channel: the value, or the error with its AWS name. */
export const Reply = z.union([
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: z.strictObject({ __type: z.enum([...AWS_ERROR_TYPES, ...IAM_ERROR_TYPES, ...STRONGROOM_ERROR_TYPES]), message: z.string() }) }),
]);
export type Reply = z.infer<typeof Reply>;

/** The API the renderer sees as `window.strongroom`: one function per channel. */
export type StrongroomApi = {
  [C in Channel]: (request: ChannelRequest<C>) => Promise<Reply>;
};

/** The preload's list of names and this map must agree: this type is `never` (and the line below fails to compile) when they do not. */
export type ChannelNamesAgree = [Channel, (typeof CHANNEL_NAMES)[number]] extends [(typeof CHANNEL_NAMES)[number], Channel] ? true : never;
export const CHANNEL_NAMES_AGREE: ChannelNamesAgree = true;

/** True when `name` is a channel of the map. */
export function isChannel(name: string): name is Channel {
  return Object.hasOwn(CHANNELS, name);
}
