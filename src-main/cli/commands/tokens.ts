import { Command } from 'commander';
import { tokensOfModule } from '../../hsm/tokensOfModule';
import { printJson } from '../output';

/** `strongroom tokens --pkcs11 …`: the slots and tokens a PKCS#11 module offers, to pick one for init. */
export function tokensCommand(): Command {
  return new Command('tokens')
    .description('List the tokens a PKCS#11 module offers (label, serial, PIN limits), to choose one for init. Needs no PIN.')
    .requiredOption('--pkcs11 <uri-or-path>', 'PKCS#11 module path, or an RFC 7512 URI with module-path')
    .action((flags: { pkcs11: string }) => {
      printJson(tokensOfModule(flags.pkcs11));
    });
}
