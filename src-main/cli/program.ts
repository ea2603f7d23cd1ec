import { Command } from 'commander';
import { resolveHome } from '../paths';
import { auditCommand } from './commands/audit';
import { changePinCommand } from './commands/changePin';
import { configCommand } from './commands/config';
import { initCommand } from './commands/init';
import { kmsCommand } from './commands/kms';
import { lockCommand } from './commands/lock';
import { resetPinCommand } from './commands/resetPin';
import { statusCommand } from './commands/status';
import { tokensCommand } from './commands/tokens';
import { uiCommand } from './commands/ui';
import { x509Command } from './commands/x509';
import { iamCommand } from './commands/iam';
import { fileCommand } from './commands/file';
import { contactCommand } from './commands/contact';
import { identityCommand } from './commands/identity';
import { recoveryCommand } from './commands/recovery';
import { backupCommand, rewrapCommand } from './commands/backup';
import { byokCommand } from './commands/byok';
import { replicaCommand } from './commands/replica';
import type { GlobalOptions } from './globalOptions';

/** The `strongroom` command line. Every command and subcommand has --help. */
export function buildProgram(version: string): Command {
  const program = new Command('strongroom')
    .description('Strongroom: the AWS KMS API on this desktop, with a PKCS#11 token as its root of trust.')
    .version(version)
    .option('--home <dir>', 'vault directory (default: $STRONGROOM_HOME, else the desktop app’s data directory)')
    .option('--pin-file <path>', 'read the token PIN from the first line of this file (private to you: chmod 600) or descriptor (/dev/fd/3)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nEnvironment: STRONGROOM_HOME (vault directory), STRONGROOM_PIN (token PIN, unless --pin-file), STRONGROOM_NEW_PIN (for change-pin and reset-pin, unless --new-pin-file), STRONGROOM_SO_PIN (for reset-pin, unless --so-pin-file), STRONGROOM_VAULT_WAIT (seconds to wait for another command that holds the vault, default 10).\nExit codes: 0 success, 252 usage error, 254 service error ({"__type","message"} on stderr), 255 unexpected error.',
    );
  const globals = (): GlobalOptions => {
    const { home, pinFile } = program.opts<{ home?: string; pinFile?: string }>();
    return { home: resolveHome(home), pinFile };
  };
  for (const command of [initCommand, statusCommand, lockCommand, changePinCommand, resetPinCommand, configCommand, kmsCommand, x509Command, iamCommand, fileCommand, contactCommand, identityCommand, recoveryCommand, backupCommand, rewrapCommand, byokCommand, replicaCommand, auditCommand, uiCommand]) {
    program.addCommand(command(globals));
  }
  program.addCommand(tokensCommand());
  const exitOverride = (command: Command): void => {
    command.exitOverride();
    for (const sub of command.commands) exitOverride(sub);
  };
  exitOverride(program);
  return program;
}
