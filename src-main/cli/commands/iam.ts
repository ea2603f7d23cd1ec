import { Command } from 'commander';
import { accountRoot } from '../../bootstrap';
import { invoke } from '../../kms/pipeline/invoke';
import type { GlobalOptions } from '../globalOptions';
import { printJson, UsageError } from '../output';
import { withUnlockedVault } from '../withVault';

interface SimulateFlags {
  principal: string;
  action: string;
  key?: string;
  context?: string[];
  grantOperation?: string[];
}

/** `k=v` pairs as an encryption context; UsageError for one without `=`. */
function contextOf(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (pairs === undefined || pairs.length === 0) return undefined;
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`--context ${pair}: give key=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `strongroom iam simulate`: the policy simulator (docs/policies.md). */
export function iamCommand(globals: () => GlobalOptions): Command {
  const iam = new Command('iam').description('Who may do what: the policy simulator.');
  iam
    .command('simulate')
    .description('What the vault would decide if PRINCIPAL called ACTION on the key (or the account), and the statement or grant that decides. Nothing is called. Opens the vault (needs the PIN), or asks the app or host that holds it.')
    .requiredOption('--principal <arn>', 'who calls: arn:aws:iam::<account>:root or arn:aws:iam::<account>:user/<name>')
    .requiredOption('--action <action>', 'what they call, e.g. kms:Decrypt')
    .option('--key <id>', 'the key (id, ARN, alias name or alias ARN); without it, the action on the account')
    .option('--context <key=value>', 'a pair of the encryption context (repeat for more)', collect)
    .option('--grant-operation <operation>', 'for kms:CreateGrant: an operation of the grant asked for (repeat for more)', collect)
    .action(async (flags: SimulateFlags) => {
      const encryptionContext = contextOf(flags.context);
      const request = { principal: flags.principal, action: flags.action, ...(flags.key === undefined ? {} : { keyId: flags.key }), ...(encryptionContext === undefined ? {} : { encryptionContext }), ...(flags.grantOperation === undefined ? {} : { grantOperations: flags.grantOperation }) };
      printJson(
        await withUnlockedVault(
          globals(),
          (vault) => invoke(vault, accountRoot(vault, 'cli'), 'SimulatePolicy', request),
          (holder) => holder.call('SimulatePolicy', request),
        ),
      );
    });
  return iam;
}
