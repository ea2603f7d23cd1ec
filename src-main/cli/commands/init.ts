import { Command, Option } from 'commander';
import { ROOT_OF_TRUST_KINDS, type RootOfTrustKind } from '../../../src-shared/vault';
import { initVault } from '../../kms/lifecycle/init';
import { initStep } from '../../transcripts/ceremonySteps';
import { readStatus } from '../../bootstrap';
import { printJson } from '../output';
import { statusWithIsoTimestamps } from '../timestamps';
import { readSecret } from '../prompt';
import type { GlobalOptions } from '../globalOptions';
import { CeremonyRecord, ceremonyOptions, transcriptAt, type CeremonyFlags } from '../ceremonyRecord';

interface InitFlags extends CeremonyFlags {
  pkcs11?: string;
  tokenLabel?: string;
  rootOfTrust: RootOfTrustKind;
  region?: string;
}

/** `strongroom init`: creates the vault and its root of trust on a token. */
export function initCommand(globals: () => GlobalOptions): Command {
  return ceremonyOptions(new Command('init'))
    .description('Create a vault: connect a token (or create the embedded SoftHSM2 one) and seal a new root key under it.')
    .option('--pkcs11 <uri-or-path>', 'PKCS#11 module path or RFC 7512 URI (pkcs11:token=…?module-path=…); default: an embedded SoftHSM2 token in the vault directory')
    .option('--token-label <label>', 'label of the token to use, or of the embedded token to create (default "Strongroom")')
    .addOption(new Option('--root-of-trust <kind>', 'aes: an AES key on the token wraps the root key; rsa: an RSA key pair on the token (for PIV cards and YubiKeys)').choices(ROOT_OF_TRUST_KINDS).default('aes'))
    .option('--region <name>', 'the Region the vault\'s ARNs name, such as eu-west-1: give each vault that will hold replicas of multi-Region keys its own (default "local")')
    .addHelpText('after', '\nThe PIN comes from --pin-file, else STRONGROOM_PIN, else a prompt (asked twice for a new embedded token). The embedded token takes a passphrase, refused when it is easy to guess (under 10^10 guesses by zxcvbn\'s estimate); the token\'s real PIN is derived from it with Argon2id.')
    .action(async (flags: InitFlags) => {
      const { home, pinFile } = globals();
      const record = new CeremonyRecord('Init', flags);
      await record.step(initStep(home, flags.pkcs11, flags.rootOfTrust));
      const pin = await readSecret({ file: pinFile, envVar: 'STRONGROOM_PIN' }, flags.pkcs11 ? 'Token PIN: ' : 'Choose a passphrase (four or more unrelated words): ', flags.pkcs11 === undefined);
      const result = initVault({
        home,
        pin,
        rootOfTrust: flags.rootOfTrust,
        ...(flags.pkcs11 === undefined ? {} : { pkcs11: flags.pkcs11 }),
        ...(flags.tokenLabel === undefined ? {} : { tokenLabel: flags.tokenLabel }),
        ...(flags.region === undefined ? {} : { region: flags.region }),
      });
      record.fact('VaultId', result.vaultId);
      record.fact('AccountId', result.accountId);
      const made = readStatus(home);
      record.fact('Token', `${made.Token?.Label ?? ''} (${made.Token?.Serial ?? ''})`);
      const transcript = await transcriptAt(record, home, pin);
      printJson({ ...statusWithIsoTimestamps(made), ...(result.soPin ? { SecurityOfficerPin: result.soPin } : {}), ...transcript });
      if (result.soPin) {
        process.stderr.write(
          'The security-officer PIN above is shown once and stored nowhere. Write it down and keep it apart from the token: it is the only way to unblock a locked user PIN.\n',
        );
      }
    });
}
