import { Command } from 'commander';
import { loadModule } from '../../hsm/module';
import { listTokens } from '../../hsm/token';
import { isPkcs11Uri, parsePkcs11Uri } from '../../hsm/uri';
import { printJson, UsageError } from '../output';

/** `strongroom tokens --pkcs11 …`: the slots and tokens a PKCS#11 module offers, to pick one for init. */
export function tokensCommand(): Command {
  return new Command('tokens')
    .description('List the tokens a PKCS#11 module offers (label, serial, PIN limits), to choose one for init. Needs no PIN.')
    .requiredOption('--pkcs11 <uri-or-path>', 'PKCS#11 module path, or an RFC 7512 URI with module-path')
    .action((flags: { pkcs11: string }) => {
      const modulePath = isPkcs11Uri(flags.pkcs11) ? parsePkcs11Uri(flags.pkcs11).modulePath : flags.pkcs11;
      if (modulePath === undefined) throw new UsageError('the PKCS#11 URI needs a module-path');
      const module = loadModule(modulePath);
      try {
        printJson({
          Module: modulePath,
          Tokens: listTokens(module).map(({ token }) => ({
            SlotId: token.slotId,
            Label: token.label,
            Serial: token.serial,
            Manufacturer: token.manufacturer,
            Model: token.model,
            Initialized: token.initialized,
            PinLocked: token.pinLocked,
            MinPinLength: token.minPinLength,
            MaxPinLength: token.maxPinLength,
          })),
        });
      } finally {
        module.release();
      }
    });
}
