import { auditPage } from '../../audit/page';
import { declare } from '../pipeline/declaration';

/** LookupEvents: a page of the audit log as CloudTrail events, newest first, after every record so far is written. */
export const lookupEvents = declare({
  name: 'LookupEvents',
  action: 'cloudtrail:LookupEvents',
  kind: 'read',
  handler: (ctx, request) => {
    ctx.vault.audit.flush();
    return auditPage(ctx.vault.db, request);
  },
});
