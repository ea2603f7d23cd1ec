import { declare } from '../pipeline/declaration';
import { contactShape } from './contactShape';

/** ListContacts: every contact, by name. */
export const listContacts = declare({
  name: 'ListContacts',
  action: 'strongroom:ListContacts',
  kind: 'read',
  handler: (ctx) => ({ Contacts: ctx.vault.contacts.all().map(contactShape) }),
});
