import { z } from 'zod';

/**
 * Strongroom's own operations of key ceremonies: the recovery split of the
 * root key among custodians (IAM actions `strongroom:…`), key material
 * wrapped out for a cloud KMS (`kms:WrapKeyMaterial`, on the key), and the
 * replica vault's side of a multi-Region key (`kms:CreateKey`, as AWS asks
 * in a replica's Region).
 */

/** How WrapKeyMaterial may wrap a key's material for another KMS: the algorithms AWS KMS's GetParametersForImport offers for symmetric and HMAC material. */
export const BYOK_WRAPPING_ALGORITHMS = ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1'] as const;

/** The ceremonies a transcript records. */
export const CEREMONIES = ['Init', 'RecoverySplit', 'Backup', 'Restore', 'Rewrap', 'ReplicaExport', 'ReplicaImport', 'ByokWrap'] as const;

/** The most custodians a split has (and the most shares it needs). */
export const MAX_CUSTODIANS = 16;

const custodian = z.string().min(1).max(64).regex(/^[\w .@+=,-]+$/, 'a name: letters, digits, spaces and . @ + = , _ -');
const splitId = z.string().regex(/^[0-9a-f]{16}$/, 'a split id: 16 hexadecimal digits');
const RecoverySplit = z.strictObject({ VaultId: z.string(), SplitId: z.string(), Threshold: z.number(), Custodians: z.array(z.string()), CreationDate: z.number() });

export const CEREMONY_OPERATIONS = {
  /**
   * Makes a split the vault's: the root key wrapped under its recovery
   * secret (256 bits, which the caller has already split into shares, M of
   * N, for the custodians in their order, and written). It replaces the
   * split before, whose shares then open nothing.
   */
  CreateRecoverySplit: {
    input: z.strictObject({ SplitId: splitId, Threshold: z.number().int().min(2).max(MAX_CUSTODIANS), Custodians: z.array(custodian).min(2).max(MAX_CUSTODIANS), RecoverySecret: z.base64() }),
    output: z.strictObject({ RecoverySplit }),
  },
  /** The vault's id, and its current split if it has one. */
  DescribeRecoverySplit: { input: z.strictObject({}), output: z.strictObject({ VaultId: z.string(), RecoverySplit: RecoverySplit.optional() }) },
  /** Whether a recovery secret, combined from shares, is the current split's (it opens the wrapped root key); InvalidCiphertextException if not. */
  VerifyRecoverySecret: { input: z.strictObject({ SplitId: splitId, RecoverySecret: z.base64() }), output: z.strictObject({ SplitId: z.string(), Valid: z.boolean() }) },
  /**
   * The current material of a key created Exportable, wrapped for another
   * KMS's ImportKeyMaterial: under the wrapping public key (DER
   * SubjectPublicKeyInfo, as its GetParametersForImport gives it) as
   * WrappingAlgorithm says. The material itself never leaves the vault.
   */
  WrapKeyMaterial: {
    input: z.strictObject({
      KeyId: z.string().min(1).max(2048),
      WrappingPublicKey: z.base64().max(2048),
      WrappingAlgorithm: z.enum(BYOK_WRAPPING_ALGORITHMS),
    }),
    output: z.strictObject({ KeyId: z.string(), KeyMaterialId: z.string(), WrappingAlgorithm: z.string(), EncryptedKeyMaterial: z.string() }),
  },
  /**
   * A replication request of this vault, for a primary key's vault to answer
   * with a replica bundle (ReplicateKey): the vault's Region and account, a
   * request id and a fresh public key, good for 24 hours and one bundle.
   */
  CreateReplicationRequest: {
    input: z.strictObject({}),
    output: z.strictObject({ ReplicationRequest: z.string() }),
  },
  /** Opens a replica bundle made for one of this vault's requests: the replica key, with the primary's id, versions and material. */
  ImportReplicaKey: {
    input: z.strictObject({ ReplicaBundle: z.string().min(1).max(4 * 1024 * 1024) }),
    output: z.strictObject({ ReplicaKeyMetadata: z.record(z.string(), z.unknown()) }),
  },
  /**
   * A ceremony's transcript, signed by the vault's audit key on the token
   * and chained to the audit log both ways: it names the chain head when it
   * was signed (which covers the ceremony's own records), and its record
   * (CeremonyTranscript) holds its SHA-256. Never holds a share or a secret.
   */
  SignCeremonyTranscript: {
    input: z.strictObject({
      Ceremony: z.enum(CEREMONIES),
      Participants: z.array(z.strictObject({ Name: z.string().min(1).max(64), Role: z.string().min(1).max(64) })).min(1).max(32),
      Steps: z.array(z.strictObject({ At: z.iso.datetime(), Step: z.string().min(1).max(1024) })).min(1).max(64),
      Facts: z.record(z.string().max(64), z.string().max(2048)),
    }),
    output: z.strictObject({ Transcript: z.string(), TranscriptSha256: z.string(), Signature: z.string(), SignatureAlgorithm: z.string(), AuditPublicKey: z.string() }),
  },
} as const;

export type CeremonyOperationName = keyof typeof CEREMONY_OPERATIONS;
