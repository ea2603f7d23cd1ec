import { Command, InvalidArgumentError } from 'commander';
import { readStatus } from '../../bootstrap';
import { printJson } from '../output';
import type { GlobalOptions } from '../globalOptions';
import { withUnlockedVault } from '../withVault';

function seconds(text: string): number {
  const match = /^([0-9]+)([smh]?)$/.exec(text);
  if (!match) throw new InvalidArgumentError('give seconds, or a number followed by s, m or h (e.g. 900, 15m, 1h)');
  const unit = { '': 1, s: 1, m: 60, h: 3600 }[match[2] as '' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

function attempts(text: string): number {
  if (!/^[0-9]{1,3}$/.test(text)) throw new InvalidArgumentError('give a whole number from 1 to 100');
  return Number(text);
}

/** `strongroom config`: shows or changes the vault's settings. */
export function configCommand(globals: () => GlobalOptions): Command {
  const config = new Command('config').description("Show or change the vault's settings.");
  config
    .command('auto-lock')
    .description('Show, or set, the idle time after which an unlocked vault locks itself (0 = never; at most 24h). Setting it needs the PIN.')
    .argument('[duration]', 'seconds, or e.g. 15m, 1h', seconds)
    .action(async (duration: number | undefined) => {
      const options = globals();
      if (duration !== undefined) {
        await withUnlockedVault(options, (vault) => {
          vault.setAutoLockSeconds(duration);
        });
      }
      printJson({ AutoLockSeconds: readStatus(options.home).AutoLockSeconds });
    });
  config
    .command('unlock-attempts')
    .description('Show, or set, how many wrong PINs in a row lock the vault out (1 to 100, default 10; after the third, each try waits twice as long as the one before). Setting it needs the PIN; "strongroom reset-pin" ends a lockout.')
    .argument('[count]', 'failed unlocks allowed', attempts)
    .action(async (count: number | undefined) => {
      const options = globals();
      if (count !== undefined) {
        await withUnlockedVault(options, (vault) => {
          vault.setMaxUnlockAttempts(count);
        });
      }
      printJson({ MaxUnlockAttempts: readStatus(options.home).MaxUnlockAttempts });
    });
  return config;
}
