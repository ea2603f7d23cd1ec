import { createRequire } from 'node:module';
import type PDFKit from 'pdfkit';
import { transcriptBody, VERIFY_COMMAND, type SignedTranscript } from './transcriptPage';

/** The characters PDF's standard fonts draw (WinAnsi): Latin-1 and the usual punctuation; any other is drawn as "?" (the .txt holds the exact text). */
const DRAWABLE = /[^\n\x20-\x7e\xa0-\xff‘’‚“”„†‡•…‰‹›€™–—]/gu;
const drawable = (text: string): string => text.replace(DRAWABLE, '?');

/**
 * The transcript as a PDF to print (A4, PDF's standard fonts): the same
 * content as the HTML page, with a line for each participant to sign.
 */
export async function transcriptPdf(signed: SignedTranscript): Promise<Buffer> {
  // Loaded here, from node_modules, only for a transcript: no command pays for it at start.
  const PDFDocument = createRequire(__filename)('pdfkit') as typeof PDFKit;
  const t = transcriptBody(signed);
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: drawable(`Strongroom ceremony: ${t.Ceremony}, ${t.SignedAt}`), Creator: 'Strongroom' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });

  const heading = (text: string): void => {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(drawable(text)).moveDown(0.3).font('Helvetica').fontSize(10);
  };
  const pair = (name: string, value: string): void => {
    doc.font('Helvetica-Bold').text(`${drawable(name)}: `, { continued: true }).font('Helvetica').text(drawable(value));
  };

  doc.font('Helvetica-Bold').fontSize(18).text(drawable(`Ceremony: ${t.Ceremony}`)).font('Helvetica').fontSize(10).moveDown(0.5);
  pair('Vault', t.VaultId);
  pair('Account, Region', `${t.AccountId}, ${t.Region}`);
  pair('Signed', t.SignedAt);
  pair('Audit chain head', `record ${String(t.AuditHead.Sequence)}, ${t.AuditHead.ChainHash}`);

  heading('Participants');
  for (const p of t.Participants) {
    doc.text(drawable(`${p.Name} (${p.Role})`)).moveDown(1.2).text('Signature: ________________________________   Date: ______________').moveDown(0.6);
  }
  heading('Steps');
  for (const s of t.Steps) doc.font('Helvetica-Bold').text(drawable(s.At)).font('Helvetica').text(drawable(s.Step)).moveDown(0.4);
  heading('Facts');
  for (const [name, value] of Object.entries(t.Facts)) pair(name, value);
  heading('Signature');
  doc.text(drawable(`${signed.SignatureAlgorithm} by the vault's audit key over the transcript's exact text (SHA-256 ${signed.TranscriptSha256}); the audit log's CeremonyTranscript record holds the same SHA-256. Check it with:`));
  doc.moveDown(0.3).font('Courier').fontSize(8).text(VERIFY_COMMAND).moveDown(0.5).text(signed.Signature).moveDown(0.5).text(signed.AuditPublicKey);
  doc.end();
  return await done;
}
