import { Command } from 'commander';
import { OPERATIONS, type OperationName } from '../../../src-shared/kms/shapes.generated';
import { implementedOperations } from '../../kms/operations';
import type { GlobalOptions } from '../globalOptions';
import { addOperationCommands } from '../operationCommand';

/** `strongroom kms <operation>`: the AWS KMS operations, with the AWS CLI's names, options and JSON shapes. */
export function kmsCommand(globals: () => GlobalOptions): Command {
  const kms = new Command('kms').description('Run an AWS KMS operation on the vault (AWS CLI names and JSON shapes). The PIN comes from --pin-file, STRONGROOM_PIN or a prompt; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY act as an IAM user.');
  addOperationCommands(kms, implementedOperations(), (name) => OPERATIONS[name as OperationName].summary, globals);
  return kms;
}
