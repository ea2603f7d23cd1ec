import { KmsError } from '../../../src-shared/errors';
import { wrapAgeIdentity } from '../../crypto/backingKeys';
import { newAgeSecret, parseAgeIdentity, recipientOf, type AgeIdentityKind } from '../../envelope/ageIdentities';
import { declare } from '../pipeline/declaration';
import { identityShape } from './identityShape';

/** How many age identities a vault keeps. */
export const MAX_AGE_IDENTITIES = 1000;

/**
 * CreateAgeIdentity: a new age identity made in the vault, or the one the
 * request gives, imported; its secret is kept wrapped under the root key and
 * never shown again. AlreadyExistsException for a name taken in any case, or
 * an identity already kept.
 */
export const createAgeIdentity = declare({
  name: 'CreateAgeIdentity',
  action: 'strongroom:CreateAgeIdentity',
  kind: 'change',
  hiddenMembers: ['Identity'],
  check: (request) => {
    if (request.Identity !== undefined && request.Kind !== undefined) throw new KmsError('ValidationException', 'Give Kind for a new identity, or Identity to import one, not both: an imported identity is of its own kind.');
  },
  handler: (ctx, request) => {
    const { ageIdentities } = ctx.vault;
    const taken = ageIdentities.get(request.Name);
    if (taken !== undefined) throw new KmsError('AlreadyExistsException', `There is already an age identity named ${taken.name}.`);
    if (ageIdentities.all().length >= MAX_AGE_IDENTITIES) throw new KmsError('LimitExceededException', `A vault keeps at most ${String(MAX_AGE_IDENTITIES)} age identities.`);
    const { kind, secret } = request.Identity === undefined ? { kind: request.Kind ?? ('X25519' as AgeIdentityKind), secret: newAgeSecret() } : parseAgeIdentity(request.Identity.trim());
    try {
      const recipient = recipientOf(kind, secret);
      const kept = ageIdentities.ofRecipient(recipient);
      if (kept !== undefined) throw new KmsError('AlreadyExistsException', `The vault already keeps this identity, as ${kept.name}.`);
      const row = { name: request.Name, kind, recipient, wrappedSecret: wrapAgeIdentity(ctx.unlocked.rootKey.value, recipient, secret), description: request.Description ?? '', createdAt: Date.now() };
      ageIdentities.insert(row);
      return { AgeIdentity: identityShape(row) };
    } finally {
      secret.fill(0);
    }
  },
});
