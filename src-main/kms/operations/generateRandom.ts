import { KmsError } from '../../../src-shared/errors';
import { connectedSession } from '../engine/customKeyStores';
import { declare } from '../pipeline/declaration';

/** GenerateRandom: NumberOfBytes (1–1024) random bytes from the token's generator (or a connected custom key store's token), as base64. */
export const generateRandom = declare({
  name: 'GenerateRandom',
  action: 'kms:GenerateRandom',
  kind: 'data',
  check: ({ NumberOfBytes }) => {
    if (NumberOfBytes === undefined) throw new KmsError('ValidationException', 'NumberOfBytes is required: how many random bytes to return (1 to 1024).');
  },
  handler: (ctx, { NumberOfBytes, CustomKeyStoreId }) => {
    const session = CustomKeyStoreId === undefined ? ctx.unlocked.session : connectedSession(ctx.vault, ctx.unlocked, CustomKeyStoreId);
    const bytes = session.random(NumberOfBytes ?? 0);
    try {
      return { Plaintext: bytes.toString('base64') };
    } finally {
      bytes.fill(0);
    }
  },
});
