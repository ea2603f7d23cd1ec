import { KmsError } from '../../../src-shared/errors';
import { parseContactKey } from '../../envelope/contactKeys';
import { declare } from '../pipeline/declaration';
import { contactShape } from './contactShape';

/** How many contacts a vault keeps. */
export const MAX_CONTACTS = 10_000;

/** CreateContact: keeps a public key under a name (AlreadyExistsException for a name taken in any case). */
export const createContact = declare({
  name: 'CreateContact',
  action: 'strongroom:CreateContact',
  kind: 'change',
  handler: (ctx, request) => {
    const { contacts } = ctx.vault;
    const taken = contacts.get(request.Name);
    if (taken !== undefined) throw new KmsError('AlreadyExistsException', `There is already a contact named ${taken.name}.`);
    if (contacts.count() >= MAX_CONTACTS) throw new KmsError('LimitExceededException', `A vault keeps at most ${String(MAX_CONTACTS)} contacts.`);
    const row = { name: request.Name, ...parseContactKey(request.PublicKey), description: request.Description ?? '', createdAt: Date.now() };
    contacts.insert(row);
    return { Contact: contactShape(row) };
  },
});
