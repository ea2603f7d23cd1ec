import { expect } from 'vitest';
import type { z } from 'zod';
import { accountRoot } from '../../src-main/bootstrap';
import { invoke } from '../../src-main/kms/pipeline/invoke';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { KmsError } from '../../src-shared/errors';
import { CORE_OPERATIONS, type CoreOperationName } from '../../src-shared/kms/extensions';

/** The response type of an operation, as the AWS model (or IAM's, or Strongroom's own) defines it. */
export type Output<N extends CoreOperationName> = z.output<(typeof CORE_OPERATIONS)[N]['output']>;

/** Runs an operation as the vault's account root, through the desktop app's door. */
export function invokeAsRoot(vault: Vault, name: CoreOperationName, request: unknown): unknown {
  return invoke(vault, accountRoot(vault, 'app'), name, request);
}

/** Calls an operation and checks that its response conforms to its model. */
export function call<N extends CoreOperationName>(vault: Vault, name: N, request: unknown): Output<N> {
  return CORE_OPERATIONS[name].output.parse(invokeAsRoot(vault, name, request)) as Output<N>;
}

/** `Type: message` of the KmsError `fn` throws, or 'no error'; any other error is thrown on. */
export function errorText(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof KmsError) return `${error.type}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

/** The AWS error name (and message) an operation fails with, or 'no error'. */
export function failure(vault: Vault, name: CoreOperationName, request: unknown): string {
  return errorText(() => invokeAsRoot(vault, name, request));
}

/** Every page of a list operation, following NextMarker; each page says Truncated exactly when it gives a NextMarker. */
export function allPages<N extends 'ListKeys' | 'ListAliases' | 'ListResourceTags' | 'ListKeyRotations'>(vault: Vault, name: N, request: Record<string, unknown>): Output<N>[] {
  const pages: Output<N>[] = [];
  let marker: string | undefined;
  do {
    const page = call(vault, name, { ...request, ...(marker === undefined ? {} : { Marker: marker }) });
    expect(page.Truncated).toBe(page.NextMarker !== undefined);
    pages.push(page);
    marker = page.NextMarker;
  } while (marker !== undefined);
  return pages;
}

/** Creates a symmetric key and returns its id. */
export function newKey(vault: Vault, description = ''): string {
  return call(vault, 'CreateKey', { Description: description }).KeyMetadata?.KeyId ?? '';
}

export const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64');
