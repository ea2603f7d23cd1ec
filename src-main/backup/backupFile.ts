import { hkdfSync } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as z from 'zod';
import { KmsError } from '../../src-shared/errors';
import { ROOT_MECHANISMS } from '../../src-shared/vault';
import { randomFill } from '../crypto/random';
import { secretBuffer } from '../crypto/secret';
import { ByteReader, type Chunks } from '../envelope/byteReader';
import { decryptMessage, readHeader } from '../envelope/decryptMessage';
import { DEFAULT_FRAME_LENGTH, encryptMessage } from '../envelope/encryptMessage';
import { openRawAes, sealRawAes } from '../envelope/rawAes';
import { DATA_KEY_BYTES } from '../envelope/suites';

/**
 * A backup is an Encryption SDK message (format 2.0, committing, framed)
 * of the vault's database file. Its one encrypted data key is wrapped as
 * the SDK's raw AES keyring wraps one (namespace `strongroom-backup`, name
 * `vault/VAULT_ID`) under a key derived from the vault's root key; its
 * encryption context holds the manifest (JSON under `strongroom-backup`),
 * which anyone can read and the header tag authenticates once the file is
 * opened.
 */
export const BACKUP_CONTEXT = 'strongroom-backup';
const NAMESPACE = 'strongroom-backup';
const keyName = (vaultId: string): string => `vault/${vaultId}`;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

/** What a backup says of itself, readable without any key. */
const manifestSchema = z.object({
  Format: z.literal(1),
  VaultId: z.uuid(),
  AccountId: z.string().regex(/^\d{12}$/),
  Region: z.string().min(1),
  VaultCreationDate: z.iso.datetime(),
  BackupDate: z.iso.datetime(),
  SchemaVersion: z.int().positive(),
  /** Rows of each table: keys, key versions, aliases, grants, users, contacts, audit records… */
  Counts: z.record(z.string(), z.int().nonnegative()),
  /** The number of the newest audit checkpoint the backup holds. */
  NewestCheckpoint: z.int().nonnegative(),
  /** The token the root key was sealed on when the backup was made, and the root key sealed there: the way back with that token. */
  Token: z.object({
    Kind: z.enum(['embedded', 'external']),
    Module: z.string().nullable(),
    Label: z.string(),
    Serial: z.string(),
    RootMechanism: z.enum(ROOT_MECHANISMS),
    RootObjectId: z.string().regex(/^[0-9a-f]+$/),
    RootWrapped: base64,
    /** How the embedded token's PIN derives from its passphrase (not secret). */
    PassphraseKdf: z.object({ algorithm: z.literal('argon2id'), memoryKiB: z.int(), passes: z.int(), parallelism: z.int(), salt: base64 }).optional(),
  }),
  /** The recovery split, and the root key wrapped under its secret: the way back with custodians' shares. */
  RecoverySplit: z.object({ SplitId: z.string(), Threshold: z.int(), Custodians: z.array(z.string()), WrappedRoot: base64 }).optional(),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

/** The key that wraps a backup's data key: HKDF-SHA256 of the root key, bound to the vault. The caller zero-fills it. */
export function backupWrappingKey(rootKey: Buffer, vaultId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', rootKey, Buffer.from('strongroom backup v1', 'utf8'), Buffer.from(vaultId, 'utf8'), 32));
}

/** The backup of the database file `source` yields, chunk by chunk: header (with the manifest), frames. */
export async function* backupChunks(manifest: BackupManifest, wrappingKey: Buffer, source: Chunks): AsyncGenerator<Buffer> {
  const context = { [BACKUP_CONTEXT]: JSON.stringify(manifest) };
  const dataKey = randomFill(secretBuffer(DATA_KEY_BYTES));
  try {
    const dataKeys = [sealRawAes(wrappingKey, NAMESPACE, keyName(manifest.VaultId), dataKey, context)];
    yield* encryptMessage({ dataKey, dataKeys, context, frameLength: DEFAULT_FRAME_LENGTH }, source);
  } finally {
    dataKey.fill(0);
  }
}

function notABackup(path: string, why: string): KmsError {
  return new KmsError('InvalidCiphertextException', `${path} is not a Strongroom backup: ${why}.`);
}

/** The manifest in a header's context. */
function manifestOf(context: Readonly<Record<string, string>>, path: string): BackupManifest {
  const text = context[BACKUP_CONTEXT];
  if (text === undefined) throw notABackup(path, `its encryption context has no ${BACKUP_CONTEXT} entry`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw notABackup(path, 'its manifest is not JSON');
  }
  const checked = manifestSchema.safeParse(parsed);
  if (!checked.success) throw notABackup(path, `its manifest is not one this version reads (${checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')})`);
  return checked.data;
}

/** A backup file's manifest, read from its header without any key (and so not yet authenticated). */
export async function readBackupManifest(path: string): Promise<BackupManifest> {
  const stream = createReadStream(path, { end: 4 * 1024 * 1024 });
  try {
    const { header } = await readHeader(new ByteReader(stream));
    return manifestOf(header.context, path);
  } finally {
    stream.destroy();
  }
}

/**
 * The database file in the backup at `path`, opened with the wrapping key of
 * its vault, chunk by chunk, each authenticated; the generator returns only
 * once the whole file is intact. InvalidCiphertextException when the key is
 * not this backup's or the file was changed.
 */
export async function* openBackup(path: string, wrappingKey: Buffer, vaultId: string): AsyncGenerator<Buffer> {
  yield* decryptMessage(createReadStream(path), async (header) => {
    const manifest = manifestOf(header.context, path);
    const edk = header.dataKeys.length === 1 ? header.dataKeys[0] : undefined;
    const dataKey = manifest.VaultId === vaultId && edk !== undefined ? openRawAes(wrappingKey, NAMESPACE, keyName(vaultId), edk, header.context) : undefined;
    if (dataKey === undefined) throw new KmsError('InvalidCiphertextException', `${path} does not open with the root key of vault ${vaultId}: it is another vault's backup, or was changed.`);
    return Promise.resolve(dataKey);
  });
}
