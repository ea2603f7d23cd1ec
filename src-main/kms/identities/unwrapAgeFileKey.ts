import { KmsError } from '../../../src-shared/errors';
import { unwrapAgeIdentity } from '../../crypto/backingKeys';
import { unwrapAgeFileKey as unwrapWith, type AgeStanza } from '../../envelope/ageIdentities';
import { declare } from '../pipeline/declaration';

/**
 * UnwrapAgeFileKey: the file key of an age file, from the stanzas of its
 * header, by the first identity of the vault one of them was made for
 * (the caller then checks the header's MAC with it, and decrypts).
 * InvalidCiphertextException when none was.
 */
export const unwrapAgeFileKey = declare({
  name: 'UnwrapAgeFileKey',
  action: 'strongroom:UnwrapAgeFileKey',
  kind: 'data',
  handler: (ctx, request) => {
    const stanzas: AgeStanza[] = request.Stanzas.map(({ Args, Body }) => ({ args: Args, body: Buffer.from(Body, 'base64') }));
    for (const row of ctx.vault.ageIdentities.all()) {
      const secret = unwrapAgeIdentity(ctx.unlocked.rootKey.value, row.recipient, row.wrappedSecret);
      if (secret === undefined) throw new KmsError('TamperedVaultException', `The secret of the age identity ${row.name} does not open under the root key.`);
      try {
        const fileKey = unwrapWith(row.kind, secret, stanzas);
        if (fileKey === undefined) continue;
        ctx.eventData.ageIdentity = row.recipient;
        try {
          return { FileKey: fileKey.toString('base64'), Name: row.name, Recipient: row.recipient };
        } finally {
          fileKey.fill(0);
        }
      } finally {
        secret.fill(0);
      }
    }
    const types = request.Stanzas.map((stanza) => stanza.Args[0]).join(', ');
    throw new KmsError('InvalidCiphertextException', `No age identity of this vault opens the file: it was made for other recipients (${types}).`);
  },
});
