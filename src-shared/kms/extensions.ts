import { z } from 'zod';
import { CONTACT_OPERATIONS } from '../files/contacts';
import { IDENTITY_OPERATIONS } from '../files/identities';
import { CEREMONY_OPERATIONS } from '../ceremonies/operations';
import { IAM_OPERATIONS } from '../iam/operations';
import { OPERATIONS } from './shapes.generated';

/**
 * Strongroom's own read operations, beside the AWS model's: what the
 * interface asks for in one call where AWS would need many. They run through
 * the same pipeline as the AWS operations (authorized, and recorded like
 * List calls), under these names.
 */
export const EXTENSIONS = {
  /**
   * A page of the key list with each key's metadata and aliases, filtered,
   * sorted and paged in SQL (fast with 100,000 keys); authorized as
   * kms:ListKeys. Sorted by creation time unless `sortBy` says otherwise (by
   * alias, keys without aliases come last either way); a marker only goes
   * with the sort that gave it.
   */
  ListKeyDetails: {
    input: z.strictObject({
      text: z.string().max(256).optional(),
      state: z.enum(['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport']).optional(),
      tag: z.string().max(400).optional(),
      sortBy: z.enum(['alias', 'description', 'state', 'created']).optional(),
      descending: z.boolean().optional(),
      limit: z.number().int().min(1).max(500),
      marker: z.string().max(1024).optional(),
    }),
    output: z.strictObject({
      keys: z.array(
        z.strictObject({
          KeyId: z.string(),
          Arn: z.string(),
          Description: z.string(),
          KeyState: z.string(),
          KeyManager: z.string(),
          KeySpec: z.string(),
          KeyUsage: z.string(),
          CreationDate: z.number(),
          /** Epoch seconds; only on a key pending deletion. */
          DeletionDate: z.number().optional(),
          Aliases: z.array(z.string()),
        }),
      ),
      nextMarker: z.string().optional(),
    }),
  },
  /** A page of audit records as CloudTrail events, newest first, optionally filtered; CloudTrail's name and action for reading its log. */
  LookupEvents: {
    input: z.strictObject({
      beforeSequence: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500),
      /** The start of the event's name, in any case: `enc` finds Encrypt. */
      eventName: z.string().max(64).optional(),
      /** Records of one key: its id, key ARN, alias name or alias ARN. */
      keyId: z.string().min(1).max(2048).optional(),
      /** Records whose caller's ARN contains this, in any case. */
      principal: z.string().min(1).max(2048).optional(),
      /** From and to (epoch seconds, both included). */
      startTime: z.number().nonnegative().optional(),
      endTime: z.number().nonnegative().optional(),
      errorsOnly: z.boolean().optional(),
      /** Only cryptographic calls (Encrypt, Decrypt, GenerateDataKey…): what "last used" means. */
      dataPlaneOnly: z.boolean().optional(),
    }),
    output: z.strictObject({ records: z.array(z.record(z.string(), z.unknown())), nextBeforeSequence: z.number().int().optional() }),
  },
  /**
   * The policy simulator: what the vault would decide if `principal` called
   * `action` (on the key `keyId`, or on the account), with this encryption
   * context, and which statement or grant decides; nothing is called.
   * Authorized as iam:SimulatePrincipalPolicy, and on the key as
   * kms:GetKeyPolicy (it reads the key's policy and grants).
   */
  SimulatePolicy: {
    input: z.strictObject({
      principal: z.string().regex(/^arn:aws:iam::\d{12}:(root|(user|role)\/[\w+=,.@/-]+)$/, 'an IAM ARN: arn:aws:iam::<account>:root, or :user/<name>'),
      action: z.string().regex(/^kms:[A-Za-z]+$/, 'a KMS action, e.g. kms:Decrypt'),
      keyId: z.string().min(1).max(2048).optional(),
      encryptionContext: z.record(z.string(), z.string()).optional(),
      grantOperations: z.array(z.string().max(64)).max(20).optional(),
    }),
    output: z.strictObject({
      decision: z.enum(['allowed', 'explicitDeny', 'implicitDeny']),
      reason: z.string(),
      decidedBy: z.string().optional(),
      enabledBy: z.string().optional(),
    }),
  },
} as const;

/** Every operation the core runs: the AWS KMS model's, IAM's (src-shared/iam), contacts and age identities (src-shared/files), ceremonies (src-shared/ceremonies) and Strongroom's own. */
export const CORE_OPERATIONS = { ...OPERATIONS, ...IAM_OPERATIONS, ...CONTACT_OPERATIONS, ...IDENTITY_OPERATIONS, ...CEREMONY_OPERATIONS, ...EXTENSIONS };

/** The name of an operation the core runs. */
export type CoreOperationName = keyof typeof CORE_OPERATIONS;
