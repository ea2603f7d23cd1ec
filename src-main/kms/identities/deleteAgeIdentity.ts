import { KmsError } from '../../../src-shared/errors';
import { declare } from '../pipeline/declaration';

/** DeleteAgeIdentity: forgets an age identity at once; files made for it no longer open here. */
export const deleteAgeIdentity = declare({
  name: 'DeleteAgeIdentity',
  action: 'strongroom:DeleteAgeIdentity',
  kind: 'change',
  handler: (ctx, request) => {
    const { ageIdentities } = ctx.vault;
    const row = ageIdentities.get(request.Name);
    if (row === undefined) throw new KmsError('NotFoundException', `There is no age identity named ${request.Name}.`);
    ageIdentities.delete(row.name);
    return {};
  },
});
