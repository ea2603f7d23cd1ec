import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { MAX_CUSTODIANS } from '../../../src-shared/ceremonies/operations';
import { makeSplit } from '../../recovery/makeSplit';
import { combineShares, openShareFile, readShareFile } from '../../recovery/shares';
import { passphraseReader, readShares, shareOptions, type ShareFlags } from '../shareInput';
import { splitStep } from '../../transcripts/ceremonySteps';
import { CeremonyRecord, ceremonyOptions, transcriptOf, type CeremonyFlags } from '../ceremonyRecord';
import { readTextFile } from '../fileIo';
import type { GlobalOptions } from '../globalOptions';
import { withKms } from '../kmsCalls';
import { printJson, UsageError } from '../output';
import { collect, expandPath, integer } from '../requestOptions';
import { withIsoTimestamps } from '../timestamps';

interface SplitFlags extends CeremonyFlags {
  threshold: string;
  custodian: string[];
  out: string;
  passphraseFile?: string[];
  print?: boolean;
}

/** `strongroom recovery`: the root key's recovery secret split among custodians (docs/ceremonies.md). */
export function recoveryCommand(globals: () => GlobalOptions): Command {
  const recovery = new Command('recovery').description('Splits the recovery secret of the vault’s root key among custodians (M of N Shamir shares, each in a file sealed with its custodian’s passphrase), checks a share, and tests that shares recover the root key.');
  ceremonyOptions(recovery.command('split'))
    .description(`Makes a new recovery split: a share for each --custodian (2 to ${String(MAX_CUSTODIANS)}), any --threshold of which recover the root key, written to DIR/NAME.share.json. It replaces the vault's split before, whose shares then open nothing; the split before stays if anything fails on the way.`)
    .requiredOption('--threshold <m>', 'how many shares recover the root key (2 or more)')
    .requiredOption('--custodian <name>', 'a custodian, in order (repeat: one share each)', collect)
    .requiredOption('--out <dir>', 'the folder the share files go to')
    .option('--passphrase-file <name=file>', "a custodian's passphrase from a file, for scripts (repeat); others are asked for", collect)
    .option('--print', 'also write NAME.share.txt (the share as 39 words and a QR code, to print) and NAME.share.svg (the QR code)')
    .action(async (flags: SplitFlags) => {
      const threshold = integer(flags.threshold, '--threshold');
      if (threshold < 2 || threshold > flags.custodian.length) throw new UsageError(`--threshold is 2 to the number of custodians (${String(flags.custodian.length)}), not ${String(threshold)}`);
      const out = expandPath(flags.out);
      if (!existsSync(out) || !statSync(out).isDirectory()) throw new UsageError(`${flags.out} is not a folder`);
      const targets = flags.custodian.map((name) => join(out, `${name}.share.json`));
      const taken = targets.find((target) => existsSync(target));
      if (taken !== undefined) throw new UsageError(`${taken} exists: choose an empty folder`);
      const passphraseOf = passphraseReader(flags.passphraseFile);
      const passphrases: string[] = [];
      for (const custodian of flags.custodian) passphrases.push(await passphraseOf(custodian, true));
      const custodians = flags.custodian.map((name, i) => ({ name, passphrase: passphrases[i] ?? '' }));
      const record = new CeremonyRecord('RecoverySplit', flags);
      await record.step(splitStep(flags.custodian, threshold, out));
      const made = await withKms(globals(), 'CreateRecoverySplit', async (kms) => {
        const split = await makeSplit(kms, { threshold, custodians, outDir: out, print: flags.print === true });
        const { SplitId } = split.RecoverySplit as { SplitId: string };
        record.fact('SplitId', SplitId);
        record.fact('Threshold', String(threshold));
        record.fact('Custodians', flags.custodian.map((name, i) => `${name} (share ${String(i + 1)})`).join(', '));
        return { ...split, ...(await transcriptOf(record, kms)) };
      });
      printJson(withIsoTimestamps(made));
    });
  recovery
    .command('check')
    .description('Opens a share file with its custodian’s passphrase and says whose it is and of which split: a sound share, or what is wrong with it.')
    .argument('<share>', 'a NAME.share.json file')
    .option('--passphrase-file <name=file>', "the custodian's passphrase from a file, for scripts", collect)
    .action(async (path: string, flags: { passphraseFile?: string[] }) => {
      const file = readShareFile(readTextFile(path), path);
      const share = openShareFile(file, await passphraseReader(flags.passphraseFile)(file.Custodian, false), path);
      printJson({ Sound: true, Custodian: file.Custodian, Index: share.index, Threshold: share.threshold, Shares: share.shares, SplitId: share.splitId, VaultId: file.VaultId, CreationDate: file.CreationDate });
    });
  shareOptions(
    recovery
      .command('test')
      .description("Combines shares (files, each opened with its custodian's passphrase, or --words) and checks that they recover the vault's root key, without using it: a rehearsal of recovery while the vault is at hand."),
  ).action(async (flags: ShareFlags) => {
    const { splitId, secret } = await combineShares((await readShares(flags)).shares);
    try {
      printJson(await withKms(globals(), 'VerifyRecoverySecret', (kms) => kms('VerifyRecoverySecret', { SplitId: splitId, RecoverySecret: secret.toString('base64') })));
    } finally {
      secret.fill(0);
    }
  });
  recovery
    .command('status')
    .description("Shows the vault's current split: its id, threshold and custodians.")
    .action(async () => {
      printJson(withIsoTimestamps(await withKms(globals(), 'DescribeRecoverySplit', (kms) => kms('DescribeRecoverySplit', {}))));
    });
  return recovery;
}
