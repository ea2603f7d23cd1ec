import * as kms from '@aws-sdk/client-kms';
import { Readable } from 'node:stream';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { KmsError } from '../../src-shared/errors';
import type { OperationName } from '../../src-shared/kms/shapes.generated';
import { invokeAsRoot } from './kms';

/** One request the SDK sent. */
export interface SentRequest {
  target: string;
  contentType: string | undefined;
  body: unknown;
}

/** Answers one request of the AWS JSON 1.1 protocol the SDK speaks with invokeAsRoot(), as an AWS endpoint would (every error these tests cause is a client error: 400). */
function answer(vault: Vault, request: { headers: Record<string, string>; body?: unknown }, onSent: (sent: SentRequest) => void): { statusCode: number; headers: Record<string, string>; body: string } {
  const target = request.headers['x-amz-target'] ?? '';
  if (typeof request.body !== 'string' && !(request.body instanceof Uint8Array)) throw new Error(`The SDK sent a body of type ${typeof request.body}.`);
  const body: unknown = JSON.parse(Buffer.from(request.body).toString('utf8'));
  onSent({ target, contentType: request.headers['content-type'], body });
  const name = target.replace(/^TrentService\./, '');
  const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'strongroom-test' };
  try {
    return { statusCode: 200, headers, body: JSON.stringify(invokeAsRoot(vault, name as OperationName, body)) }; // an unknown name is refused
  } catch (error) {
    if (!(error instanceof KmsError)) throw error;
    return { statusCode: 400, headers, body: JSON.stringify(error.toShape()) };
  }
}

/** An AWS SDK KMS client (with a method per operation, as the Encryption SDK's KMS keyring calls them) whose requests the vault's core answers, as the account root; `onSent` sees each request. */
export function kmsClient(vault: Vault, onSent: (sent: SentRequest) => void = () => undefined): kms.KMS {
  return new kms.KMS({
    region: vault.record.region,
    credentials: { accessKeyId: 'AKIDSTRONGROOMTEST', secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
    requestHandler: {
      handle(request: { headers: Record<string, string>; body?: unknown }) {
        const { statusCode, headers, body } = answer(vault, request, onSent);
        return Promise.resolve({ response: { statusCode, headers, body: Readable.from([Buffer.from(body)]) } });
      },
    },
  });
}
