import { z } from 'zod';

/**
 * The interface's work on files: batches encrypted or decrypted by the
 * core on a worker thread (src-main/files), followed by polling, and the
 * folders it browses to pick them. Paths are the core's, on this machine.
 */

const path = z.string().min(1).max(4096);

export const FileJobRequest = z.strictObject({
  kind: z.enum(['encrypt', 'decrypt']),
  paths: z.array(path).min(1).max(1000),
  /** encrypt: key ids, ARNs or aliases, contact names, age recipients, public key files. */
  recipients: z.array(z.string().min(1).max(4096)).max(100).optional(),
  context: z.record(z.string().min(1).max(2048), z.string().max(2048)).optional(),
  signKeyId: z.string().min(1).max(2048).optional(),
  /** Where results go; beside each input when left out. */
  outputDir: path.optional(),
  /** Replace results that exist (refused otherwise). */
  replace: z.boolean(),
});
export type FileJobRequest = z.output<typeof FileJobRequest>;

const ErrorShape = z.strictObject({ __type: z.string(), message: z.string() });

/** How one file of a batch ended: its result, and for a decrypted file what it was (format, recipients, signer, context). */
export const FileResult = z.strictObject({
  input: z.string(),
  output: z.string().optional(),
  opened: z
    .strictObject({
      Format: z.enum(['age', 'aws-encryption-sdk']),
      EncryptedFor: z.array(z.string()).optional(),
      SignedBy: z.string().optional(),
      EncryptionContext: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  error: ErrorShape.optional(),
});
export type FileResult = z.output<typeof FileResult>;

export const FileJobState = z.strictObject({
  jobId: z.string(),
  kind: z.enum(['encrypt', 'decrypt']),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  results: z.array(FileResult),
  error: ErrorShape.optional(),
});
export type FileJobState = z.output<typeof FileJobState>;

export const Folder = z.strictObject({
  dir: z.string(),
  parent: z.string().optional(),
  entries: z.array(z.strictObject({ name: z.string(), path: z.string(), kind: z.enum(['file', 'folder']), size: z.number() })),
  /** More entries than are listed (the first 2,000 are). */
  truncated: z.boolean(),
});
export type Folder = z.output<typeof Folder>;
