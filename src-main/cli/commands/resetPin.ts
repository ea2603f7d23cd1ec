import { Command } from 'commander';
import { printJson } from '../output';
import { readSecret } from '../prompt';
import type { GlobalOptions } from '../globalOptions';
import { withVault } from '../withVault';

/** `strongroom reset-pin`: a new user PIN set with the security-officer PIN; ends a lockout. */
export function resetPinCommand(globals: () => GlobalOptions): Command {
  return new Command('reset-pin')
    .description("Set a new PIN (the embedded token: passphrase) with the token's security-officer PIN, and clear the count of failed unlocks: the way out of a lockout or of a PIN the token blocked.")
    .option('--so-pin-file <path>', 'read the security-officer PIN from the first line of this file (chmod 600) or descriptor')
    .option('--new-pin-file <path>', 'read the new PIN from the first line of this file (chmod 600) or descriptor')
    .addHelpText('after', '\nThe security-officer PIN comes from --so-pin-file or STRONGROOM_SO_PIN, the new PIN from --new-pin-file or STRONGROOM_NEW_PIN; each is prompted for when not given. Every reset, and every refused one, is in the audit log.')
    .action(async (flags: { soPinFile?: string; newPinFile?: string }) => {
      const { home } = globals();
      await withVault(home, async (vault) => {
        const soPin = await readSecret({ file: flags.soPinFile, envVar: 'STRONGROOM_SO_PIN' }, 'Security-officer PIN: ');
        const embedded = vault.record.tokenKind === 'embedded';
        const next = await readSecret({ file: flags.newPinFile, envVar: 'STRONGROOM_NEW_PIN' }, embedded ? 'New passphrase: ' : 'New PIN: ', true);
        vault.resetPin(soPin, next);
      });
      printJson({ PinReset: true });
    });
}
