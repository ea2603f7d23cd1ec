import { Command } from 'commander';
import { readStatus } from '../../bootstrap';
import { printJson } from '../output';
import { statusWithIsoTimestamps } from '../timestamps';
import type { GlobalOptions } from '../globalOptions';

/** `strongroom status`: what the vault is, its token, and whether some process has it unlocked. */
export function statusCommand(globals: () => GlobalOptions): Command {
  return new Command('status')
    .description('Show the vault, its token and root of trust, and whether a process holds it unlocked. Needs no PIN.')
    .action(() => {
      printJson(statusWithIsoTimestamps(readStatus(globals().home)));
    });
}
