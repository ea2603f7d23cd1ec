import { KmsError } from '../../../src-shared/errors';
import type { GenerateRandomRequest, GenerateRandomResponse } from '../../../src-shared/kms/shapes.generated';
import { authorizeAccount, type KmsContext } from '../context';
import { refuseRecipient } from '../engine/symmetric';

/** GenerateRandom: NumberOfBytes (1–1024) random bytes from the token's generator, as base64. */
export function generateRandom(ctx: KmsContext, request: GenerateRandomRequest): GenerateRandomResponse {
  const { NumberOfBytes, CustomKeyStoreId, Recipient } = request;
  if (NumberOfBytes === undefined) throw new KmsError('ValidationException', 'NumberOfBytes is required: how many random bytes to return (1 to 1024).');
  if (CustomKeyStoreId !== undefined) throw new KmsError('CustomKeyStoreNotFoundException', `There is no custom key store ${CustomKeyStoreId}.`);
  refuseRecipient(Recipient);
  authorizeAccount(ctx, 'kms:GenerateRandom');
  return ctx.vault.use(({ session }) => {
    const bytes = session.random(NumberOfBytes);
    try {
      return { Plaintext: bytes.toString('base64') };
    } finally {
      bytes.fill(0);
    }
  });
}
