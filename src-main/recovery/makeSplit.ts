import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { renderSVG, renderUnicodeCompact } from 'uqr';
import { randomFill } from '../crypto/random';
import { secretBuffer } from '../crypto/secret';
import { writeAtomically } from '../envelope/atomicFile';
import type { KmsCall } from '../envelope/recipients';
import { sealShare, shareWords, splitSecret, type RecoveryShare } from './shares';

/** A split to make: M, each custodian with their passphrase, the folder the shares go to, and whether to write the printable pages too. */
export interface SplitRequest {
  readonly threshold: number;
  readonly custodians: readonly { readonly name: string; readonly passphrase: string }[];
  readonly outDir: string;
  readonly print: boolean;
}

/** What a custodian may print: the share in words and as a QR code of those words, with what it is. */
function printable(share: RecoveryShare, custodian: string): string {
  const words = shareWords(share);
  return [
    `Strongroom recovery share ${String(share.index)} of ${String(share.shares)} (${String(share.threshold)} needed), split ${share.splitId}, for ${custodian}.`,
    'This page is the share itself, without a passphrase: keep it as safely as the file.',
    '',
    words.split(' ').map((word, i) => `${String(i + 1).padStart(2)}. ${word}`).join('\n'),
    '',
    renderUnicodeCompact(words),
  ].join('\n');
}

/**
 * Makes a recovery split with the vault's operations `kms`: a fresh
 * recovery secret, split among the custodians, each share sealed with its
 * custodian's passphrase and written to OUT/NAME.share.json (and, to print,
 * NAME.share.txt and NAME.share.svg); only once every file is written does
 * the vault take the split (CreateRecoverySplit). A failure on the way
 * removes the files written and leaves the split before in place.
 */
export async function makeSplit(kms: KmsCall, request: SplitRequest): Promise<{ RecoverySplit: unknown; Files: string[] }> {
  const { VaultId } = (await kms('DescribeRecoverySplit', {})) as { VaultId: string };
  const names = request.custodians.map((custodian) => custodian.name);
  const splitId = randomFill(Buffer.alloc(8)).toString('hex');
  const secret = randomFill(secretBuffer(32));
  const written: string[] = [];
  try {
    const shares = await splitSecret(secret, { vaultId: VaultId, splitId, threshold: request.threshold, custodians: names });
    for (const [i, share] of shares.entries()) {
      const custodian = request.custodians[i] ?? { name: '', passphrase: '' };
      const base = join(request.outDir, `${custodian.name}.share`);
      const outputs: [string, string][] = [[`${base}.json`, `${JSON.stringify(sealShare(share, VaultId, custodian.name, custodian.passphrase), null, 2)}\n`]];
      if (request.print) outputs.push([`${base}.txt`, `${printable(share, custodian.name)}\n`], [`${base}.svg`, renderSVG(shareWords(share))]);
      for (const [path, text] of outputs) {
        await writeAtomically(path, [Buffer.from(text, 'utf8')], false);
        written.push(path);
      }
    }
    const { RecoverySplit } = await kms('CreateRecoverySplit', { SplitId: splitId, Threshold: request.threshold, Custodians: names, RecoverySecret: secret.toString('base64') });
    return { RecoverySplit, Files: written };
  } catch (error) {
    for (const path of written) rmSync(path, { force: true });
    throw error;
  } finally {
    secret.fill(0);
  }
}
