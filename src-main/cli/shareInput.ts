import { Option, type Command } from 'commander';
import { openShareFile, readShareFile, shareFromWords, type RecoveryShare } from '../recovery/shares';
import { readTextFile } from './fileIo';
import { UsageError } from './output';
import { readSecret } from './prompt';
import { collect, expandPath } from './requestOptions';

/** The shortest passphrase a custodian's share file takes. */
export const MIN_PASSPHRASE = 12;

/** The --passphrase-file NAME=FILE pairs, by custodian name in lower case. */
function passphraseFiles(pairs: readonly string[] | undefined): Map<string, string> {
  return new Map(
    (pairs ?? []).map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new UsageError(`--passphrase-file takes NAME=FILE, not "${pair}"`);
      return [pair.slice(0, at).toLowerCase(), expandPath(pair.slice(at + 1))];
    }),
  );
}

/** Asks for custodians' passphrases: each from their --passphrase-file, else from a prompt (twice for a new one). */
export function passphraseReader(pairs: readonly string[] | undefined): (custodian: string, isNew: boolean) => Promise<string> {
  const files = passphraseFiles(pairs);
  return async (custodian, isNew) => {
    const passphrase = await readSecret({ file: files.get(custodian.toLowerCase()), envVar: 'STRONGROOM_SHARE_PASSPHRASE' }, `Passphrase for ${custodian}'s share: `, isNew);
    if (isNew && passphrase.length < MIN_PASSPHRASE) throw new UsageError(`${custodian}'s passphrase is shorter than ${String(MIN_PASSPHRASE)} characters`);
    return passphrase;
  };
}

/** The flags that give recovery shares. */
export interface ShareFlags {
  share?: string[];
  words?: string[];
  passphraseFile?: string[];
}

/** Adds --share, --words and --passphrase-file to `command`. */
export function shareOptions(command: Command): Command {
  return command
    .addOption(new Option('--share <file>', 'a recovery share file, opened with its custodian’s passphrase (repeat)').argParser(collect))
    .addOption(new Option('--words <text>', 'a recovery share as its 39 words (repeat)').argParser(collect))
    .addOption(new Option('--passphrase-file <name=file>', "a custodian's passphrase from a file, for scripts (repeat); others are asked for").argParser(collect));
}

/** The shares the flags give, each file opened with its custodian's passphrase, and whose they are (words: "words N"). */
export async function readShares(flags: ShareFlags): Promise<{ shares: RecoveryShare[]; custodians: string[] }> {
  const passphraseOf = passphraseReader(flags.passphraseFile);
  const shares: RecoveryShare[] = [];
  const custodians: string[] = [];
  for (const path of flags.share ?? []) {
    const file = readShareFile(readTextFile(path), path);
    shares.push(openShareFile(file, await passphraseOf(file.Custodian, false), path));
    custodians.push(file.Custodian);
  }
  for (const words of flags.words ?? []) {
    const share = shareFromWords(words);
    shares.push(share);
    custodians.push(`share ${String(share.index)} (words)`);
  }
  return { shares, custodians };
}
