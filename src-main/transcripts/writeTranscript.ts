import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { KmsError } from '../../src-shared/errors';
import { writeAtomically } from '../envelope/atomicFile';
import { transcriptPage, type SignedTranscript } from './transcriptPage';
import { transcriptPdf } from './transcriptPdf';

/** A transcript's files, by their extension, in the order they are written. */
const EXTENSIONS = ['json', 'html', 'pdf', 'txt', 'sig'] as const;
const filesAt = (base: string): string[] => EXTENSIONS.map((ext) => `${base}.${ext}`);

/**
 * Refuses, before a ceremony starts, a transcript that could not be written
 * at its end (a ceremony that made a vault would otherwise have done its
 * work and lost its record): a folder that is not there, or a file of it
 * that exists.
 */
export function assertTranscriptWritable(base: string): void {
  const folder = dirname(resolve(base));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new KmsError('ValidationException', `The transcript's folder ${folder} does not exist.`);
  const taken = filesAt(base).find((path) => existsSync(path));
  if (taken !== undefined) throw new KmsError('AlreadyExistsException', `${taken} exists: choose another name for the transcript.`);
}

/** Writes a signed transcript to BASE.json, BASE.html and BASE.pdf (to print and sign), BASE.txt and BASE.sig (for openssl); returns their names. Refuses to overwrite. */
export async function writeTranscript(base: string, signed: SignedTranscript): Promise<string[]> {
  const contents: Record<(typeof EXTENSIONS)[number], Buffer> = {
    json: Buffer.from(`${JSON.stringify(signed, null, 2)}\n`),
    html: Buffer.from(transcriptPage(signed)),
    pdf: await transcriptPdf(signed),
    txt: Buffer.from(signed.Transcript),
    sig: Buffer.from(signed.Signature, 'base64'),
  };
  for (const ext of EXTENSIONS) await writeAtomically(`${base}.${ext}`, [contents[ext]], false);
  return filesAt(base);
}
