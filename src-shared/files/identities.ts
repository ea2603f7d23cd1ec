import { z } from 'zod';

/**
 * Strongroom's own operations on age identities: the keys that open age
 * files sent to you, kept in the vault under the root of trust. Their
 * secrets never leave it: UnwrapAgeFileKey opens the file key of a file's
 * header. Their IAM actions are `strongroom:…`.
 */

const name = z.string().min(1).max(64).regex(/^[\w .@+=,-]+$/, 'a name: letters, digits, spaces and . @ + = , _ -');
const AgeIdentity = z.strictObject({
  Name: z.string(),
  /** X25519 (`age1…`) or the hybrid ML-KEM-768 + X25519 (`age1pq1…`). */
  Kind: z.enum(['X25519', 'MLKEM768X25519']),
  /** The recipient string people encrypt for. */
  Recipient: z.string(),
  Description: z.string(),
  CreationDate: z.number(),
});

export const IDENTITY_OPERATIONS = {
  /** A new age identity, made in the vault (Kind; X25519 unless said), or the one Identity gives (AGE-SECRET-KEY-…), imported. */
  CreateAgeIdentity: {
    input: z.strictObject({
      Name: name,
      Kind: z.enum(['X25519', 'MLKEM768X25519']).optional(),
      Identity: z.string().min(1).max(256).optional(),
      Description: z.string().max(8192).optional(),
    }),
    output: z.strictObject({ AgeIdentity }),
  },
  ListAgeIdentities: { input: z.strictObject({}), output: z.strictObject({ AgeIdentities: z.array(AgeIdentity) }) },
  DeleteAgeIdentity: { input: z.strictObject({ Name: name }), output: z.strictObject({}) },
  /** The file key of an age file, from the stanzas of its header, by whichever identity of the vault it was made for. */
  UnwrapAgeFileKey: {
    input: z.strictObject({
      Stanzas: z.array(z.strictObject({ Args: z.array(z.string().max(4096)).min(1).max(16), Body: z.string().max(4096) })).min(1).max(256),
    }),
    output: z.strictObject({ FileKey: z.string(), Name: z.string(), Recipient: z.string() }),
  },
} as const;

export type IdentityOperationName = keyof typeof IDENTITY_OPERATIONS;
