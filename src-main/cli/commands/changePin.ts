import { Command } from 'commander';
import { printJson } from '../output';
import { readSecret } from '../prompt';
import type { GlobalOptions } from '../program';
import { withVault } from '../withVault';

/** `strongroom change-pin`: changes the token's user PIN. */
export function changePinCommand(globals: () => GlobalOptions): Command {
  return new Command('change-pin')
    .description("Change the token's user PIN.")
    .addHelpText('after', '\nThe current PIN comes from STRONGROOM_PIN, the new one from STRONGROOM_NEW_PIN; each is prompted for when not set.')
    .action(async () => {
      const { home } = globals();
      await withVault(home, async (vault) => {
        const current = await readSecret('STRONGROOM_PIN', 'Current PIN: ');
        vault.unlock(current);
        const next = await readSecret('STRONGROOM_NEW_PIN', 'New PIN: ', true);
        vault.changePin(current, next);
      });
      printJson({ PinChanged: true });
    });
}
