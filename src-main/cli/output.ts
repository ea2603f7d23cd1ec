import { KmsError, toErrorShape } from '../../src-shared/errors';
import { CertificateInputError } from '../x509/errors';

/** Exit codes as the AWS CLI uses them. */
export const EXIT = { ok: 0, usage: 252, service: 254, internal: 255 } as const;

/** A mistake in how the command was called (exit 252), as opposed to an error from the service. */
export class UsageError extends Error {}

/** A result as the AWS CLI writes it: JSON indented by four spaces. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 4);
}

/** Prints a result as the AWS CLI does: indented JSON on standard output. */
export function printJson(value: unknown): void {
  process.stdout.write(`${jsonText(value)}\n`);
}

/** Prints `error` on standard error and returns the exit code for it. Unknown errors print no detail that might hold a secret. */
export function reportError(error: unknown): number {
  if (error instanceof UsageError || error instanceof CertificateInputError) {
    process.stderr.write(`strongroom: ${error.message}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`${JSON.stringify(toErrorShape(error))}\n`);
  if (!(error instanceof KmsError) && process.env.STRONGROOM_DEBUG === '1') console.error(error);
  return error instanceof KmsError ? EXIT.service : EXIT.internal;
}
