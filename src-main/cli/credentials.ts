import type { AccessKeyCredentials, Caller } from '../../src-shared/caller';
import { accountRoot } from '../bootstrap';
import type { Vault } from '../kms/lifecycle/vault';
import { authenticate } from '../kms/pipeline/authenticate';
import { UsageError } from './output';

/**
 * The access key the command acts with, as the AWS CLI reads it:
 * AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, both or neither (then the
 * command acts as the account root, who unlocks with the PIN).
 */
export function accessKeyFromEnv(): AccessKeyCredentials | undefined {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID ?? '';
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY ?? '';
  if (accessKeyId === '' && secretAccessKey === '') return undefined;
  if (accessKeyId === '' || secretAccessKey === '') throw new UsageError('set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to act as an IAM user, or neither to act as the account root');
  return { accessKeyId, secretAccessKey };
}

/** Who a command that opened the vault itself acts as: the user of the access key in the environment (refused, and recorded under `operation`, when unknown, wrong or inactive), else the account root. */
export function cliCaller(vault: Vault, operation: string): Caller {
  const accessKey = accessKeyFromEnv();
  return accessKey === undefined ? accountRoot(vault, 'cli') : authenticate(vault, accessKey, 'cli', operation);
}
