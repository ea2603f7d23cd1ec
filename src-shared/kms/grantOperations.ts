import type { GrantOperation } from './shapes.generated';
import type { z } from 'zod';

type Operation = z.infer<ReturnType<typeof GrantOperation>>;

/**
 * The operations a grant on a key of `usage` (and, for ENCRYPT_DECRYPT,
 * `spec`) may allow, as AWS KMS allows them: one table for the core's
 * CreateGrant and the interface's grant form.
 */
export function grantOperationsFor(usage: string | undefined, spec: string | undefined): Operation[] {
  const common: Operation[] = ['DescribeKey', 'CreateGrant', 'RetireGrant'];
  if (usage === 'SIGN_VERIFY') return ['Sign', 'Verify', 'GetPublicKey', ...common];
  if (usage === 'GENERATE_VERIFY_MAC') return ['GenerateMac', 'VerifyMac', ...common];
  if (usage === 'KEY_AGREEMENT') return ['DeriveSharedSecret', 'GetPublicKey', ...common];
  if (spec !== 'SYMMETRIC_DEFAULT') return ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey', ...common];
  return ['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', ...common];
}
