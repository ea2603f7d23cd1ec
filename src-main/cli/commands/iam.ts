import { Command } from 'commander';
import type { IamOperationName } from '../../../src-shared/iam/operations';
import type { GlobalOptions } from '../globalOptions';
import { addOperationCommands } from '../operationCommand';
import { printJson } from '../output';
import { collect, contextOf } from '../requestOptions';
import { withKms } from '../kmsCalls';

interface SimulateFlags {
  principal: string;
  action: string;
  key?: string;
  context?: string[];
  grantOperation?: string[];
}


/** The IAM operations of `strongroom iam`, with what each does. */
const SUMMARIES: Record<IamOperationName, string> = {
  CreateUser: 'Creates an IAM user of the vault\'s account, with no access keys and no policies.',
  DeleteUser: 'Deletes a user that has no access keys and no inline policies left.',
  GetUser: 'Describes a user; with no --user-name, the user whose access key calls.',
  ListUsers: 'Lists the users, by name, optionally only those under a path.',
  CreateAccessKey: 'Creates an access key for a user (two at most); its secret is printed this once.',
  DeleteAccessKey: 'Deletes an access key; calls made with it are refused from then on.',
  ListAccessKeys: 'Lists a user\'s access keys and their status (never their secrets).',
  UpdateAccessKey: 'Makes an access key Active or Inactive; an inactive key is refused at once.',
  PutUserPolicy: 'Adds or replaces an inline identity policy of a user.',
  GetUserPolicy: 'Prints an inline policy of a user.',
  DeleteUserPolicy: 'Deletes an inline policy of a user.',
  ListUserPolicies: 'Lists the names of a user\'s inline policies.',
  SimulatePrincipalPolicy: 'What the vault would decide for a principal, actions and keys (IAM\'s shape, with kms:EncryptionContext:<key> context entries); nothing is called.',
};

/** `strongroom iam`: IAM users, access keys and their policies in IAM's shapes, and the policy simulator (docs/users.md, docs/policies.md). */
export function iamCommand(globals: () => GlobalOptions): Command {
  const iam = new Command('iam').description('Who may do what: IAM users, access keys and identity policies (AWS CLI names and JSON shapes), and the policy simulator. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY act as an IAM user.');
  addOperationCommands(iam, Object.keys(SUMMARIES) as IamOperationName[], (name) => SUMMARIES[name as IamOperationName], globals);
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
      printJson(await withKms(globals(), 'SimulatePolicy', (kms) => kms('SimulatePolicy', request)));
    });
  return iam;
}
