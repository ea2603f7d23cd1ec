import { KmsError } from '../../../src-shared/errors';
import { declare } from '../pipeline/declaration';

/** DeleteContact: forgets a contact (files already encrypted for it are unchanged). */
export const deleteContact = declare({
  name: 'DeleteContact',
  action: 'strongroom:DeleteContact',
  kind: 'change',
  handler: (ctx, request) => {
    const { contacts } = ctx.vault;
    const row = contacts.get(request.Name);
    if (row === undefined) throw new KmsError('NotFoundException', `There is no contact named ${request.Name}.`);
    contacts.delete(row.name);
    return {};
  },
});
