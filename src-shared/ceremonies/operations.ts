import { z } from 'zod';

/**
 * Strongroom's own operations of key ceremonies: the recovery split of the
 * root key among custodians. Their IAM actions are `strongroom:…`.
 */

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
} as const;

export type CeremonyOperationName = keyof typeof CEREMONY_OPERATIONS;
