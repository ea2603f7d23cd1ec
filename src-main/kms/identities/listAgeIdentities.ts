import { declare } from '../pipeline/declaration';
import { identityShape } from './identityShape';

/** ListAgeIdentities: every age identity, by name, with its recipient. */
export const listAgeIdentities = declare({
  name: 'ListAgeIdentities',
  action: 'strongroom:ListAgeIdentities',
  kind: 'read',
  handler: (ctx) => ({ AgeIdentities: ctx.vault.ageIdentities.all().map(identityShape) }),
});
