import { KmsError } from '../../../src-shared/errors';
import { declare } from '../pipeline/declaration';

/** GenerateRandom: NumberOfBytes (1–1024) random bytes from the token's generator, as base64. */
export const generateRandom = declare({
  name: 'GenerateRandom',
  action: 'kms:GenerateRandom',
  kind: 'data',
  check: ({ NumberOfBytes, CustomKeyStoreId }) => {
    if (NumberOfBytes === undefined) throw new KmsError('ValidationException', 'NumberOfBytes is required: how many random bytes to return (1 to 1024).');
    if (CustomKeyStoreId !== undefined) throw new KmsError('CustomKeyStoreNotFoundException', `There is no custom key store ${CustomKeyStoreId}.`);
  },
  handler: (ctx, { NumberOfBytes }) => {
    const bytes = ctx.unlocked.session.random(NumberOfBytes ?? 0);
    try {
      return { Plaintext: bytes.toString('base64') };
    } finally {
      bytes.fill(0);
    }
  },
});
