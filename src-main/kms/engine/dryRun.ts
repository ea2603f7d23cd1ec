import { KmsError } from '../../../src-shared/errors';

/** True for a DryRun that checks permission only, without a ciphertext (DryRunModifiers IGNORE_CIPHERTEXT, Decrypt and ReEncrypt). */
export function ignoresCiphertext(request: { readonly DryRun?: boolean | undefined; readonly DryRunModifiers?: readonly string[] | undefined }): boolean {
  return request.DryRun === true && request.DryRunModifiers?.includes('IGNORE_CIPHERTEXT') === true;
}

/** The error a DryRun ends with once every check has passed, as AWS answers. */
export function dryRunDone(): KmsError {
  return new KmsError('DryRunOperationException', 'The request would have succeeded, but DryRun was set.');
}
