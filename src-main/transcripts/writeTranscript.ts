import { writeAtomically } from '../envelope/atomicFile';
import { transcriptPage, type SignedTranscript } from './transcriptPage';
import { transcriptPdf } from './transcriptPdf';

/** Writes a signed transcript to BASE.json, BASE.html and BASE.pdf (to print and sign), BASE.txt and BASE.sig (for openssl); returns their names. Refuses to overwrite. */
export async function writeTranscript(base: string, signed: SignedTranscript): Promise<string[]> {
  const files: [string, Buffer][] = [
    [`${base}.json`, Buffer.from(`${JSON.stringify(signed, null, 2)}\n`)],
    [`${base}.html`, Buffer.from(transcriptPage(signed))],
    [`${base}.pdf`, await transcriptPdf(signed)],
    [`${base}.txt`, Buffer.from(signed.Transcript)],
    [`${base}.sig`, Buffer.from(signed.Signature, 'base64')],
  ];
  for (const [path, bytes] of files) await writeAtomically(path, [bytes], false);
  return files.map(([path]) => path);
}
