import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { KmsError } from '../../src-shared/errors';
import { writeAtomically } from '../envelope/atomicFile';

/**
 * The files the replica and cloud-KMS ceremonies carry between machines, read
 * and written the same way by the command line and the interface.
 */

/** The most bytes a ceremony's file is read to: a replica bundle of a key with many versions is well under it. */
const MAX_CEREMONY_FILE_BYTES = 4 * 1024 * 1024;

/** The bytes of a ceremony's file; ValidationException naming it when it cannot be read or is too large to be one. */
export function readCeremonyFile(path: string): Buffer {
  try {
    if (statSync(path).size > MAX_CEREMONY_FILE_BYTES) throw new KmsError('ValidationException', `${path} is larger than any file of a ceremony (${String(MAX_CEREMONY_FILE_BYTES / 1024 / 1024)} MiB).`);
    return readFileSync(path);
  } catch (error) {
    if (error instanceof KmsError) throw error;
    throw new KmsError('ValidationException', `Cannot read ${path}.`);
  }
}

/** Writes a JSON document (a replication request or bundle) to `path`, indented, whole or not at all; an existing file only when `replace`. */
export async function writeJsonFile(path: string, json: string, replace: boolean): Promise<void> {
  await writeAtomically(resolve(path), [Buffer.from(`${JSON.stringify(JSON.parse(json), null, 2)}\n`, 'utf8')], replace);
}

/** The Region and request id a replication request names (CreateReplicationRequest writes one). */
export function replicationRequestOf(text: string, path: string): { Region: string; RequestId: string } {
  try {
    const { Region, RequestId } = JSON.parse(text) as { Region?: unknown; RequestId?: unknown };
    if (typeof Region === 'string') return { Region, RequestId: typeof RequestId === 'string' ? RequestId : '' };
  } catch {
    // said below
  }
  throw new KmsError('ValidationException', `${path} is not a replication request (the replica's vault writes one with "strongroom replica request").`);
}

/** A wrapping public key as another KMS's GetParametersForImport gives it (DER, as `base64 -d` of its PublicKey makes it), or its base64, or PEM: the DER as base64, and its SHA-256 in hex for the record. */
export function wrappingPublicKeyOf(bytes: Buffer, path: string): { base64: string; sha256: string } {
  const text = bytes.toString('latin1').trim();
  let der: Buffer;
  try {
    if (text.startsWith('-----BEGIN')) der = createPublicKey(text).export({ type: 'spki', format: 'der' });
    else der = createPublicKey({ key: bytes[0] === 0x30 ? bytes : Buffer.from(text, 'base64'), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'der' });
  } catch {
    throw new KmsError('ValidationException', `${path} holds no public key that can be read (DER, base64 or PEM).`);
  }
  return { base64: der.toString('base64'), sha256: createHash('sha256').update(der).digest('hex') };
}
