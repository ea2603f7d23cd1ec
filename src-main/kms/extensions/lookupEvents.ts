import { parseArn } from '../../../src-shared/arn';
import { auditPage } from '../../audit/page';
import type { KeyStore } from '../engine/keyStore';
import { declare } from '../pipeline/declaration';

/** The id of the key that `keyId` names: an alias must exist now; a key id or key ARN may be of a key since deleted. */
function keyIdOf(store: KeyStore, keyId: string): string {
  const arn = keyId.startsWith('arn:') ? parseArn(keyId) : undefined;
  if (keyId.startsWith('alias/') || arn?.resource.kind === 'alias') return store.resolve(keyId, true).keyId;
  return arn?.resource.kind === 'key' ? arn.resource.id : keyId;
}

/** LookupEvents: a page of the audit log as CloudTrail events, newest first, after every record so far is written. */
export const lookupEvents = declare({
  name: 'LookupEvents',
  action: 'cloudtrail:LookupEvents',
  kind: 'read',
  handler: (ctx, { keyId, ...request }) => {
    ctx.vault.audit.flush();
    return auditPage(ctx.vault.db, { ...request, ...(keyId === undefined ? {} : { keyId: keyIdOf(ctx.vault.store, keyId) }) });
  },
});
