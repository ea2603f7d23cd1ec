import { Command } from 'commander';
import { printJson } from '../output';
import { readSecret } from '../prompt';
import type { GlobalOptions } from '../globalOptions';
import { withVault } from '../withVault';

/** `strongroom change-pin`: changes the token's user PIN. */
export function changePinCommand(globals: () => GlobalOptions): Command {
  return new Command('change-pin')
    .description("Change the token's user PIN (the embedded token: your passphrase, which must be hard to guess).")
    .option('--new-pin-file <path>', 'read the new PIN from the first line of this file (chmod 600) or descriptor')
    .addHelpText('after', '\nThe current PIN comes from --pin-file or STRONGROOM_PIN, the new one from --new-pin-file or STRONGROOM_NEW_PIN; each is prompted for when not given.')
    .action(async (flags: { newPinFile?: string }) => {
      const { home, pinFile } = globals();
      await withVault(home, async (vault) => {
        const embedded = vault.record.tokenKind === 'embedded';
        const current = await readSecret({ file: pinFile, envVar: 'STRONGROOM_PIN' }, embedded ? 'Current passphrase: ' : 'Current PIN: ');
        vault.unlock(current);
        const next = await readSecret({ file: flags.newPinFile, envVar: 'STRONGROOM_NEW_PIN' }, embedded ? 'New passphrase (four or more unrelated words): ' : 'New PIN: ', true);
        vault.changePin(current, next);
      });
      printJson({ PinChanged: true });
    });
}
