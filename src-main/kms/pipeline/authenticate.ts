import type { AccessKeyCredentials, Caller, Door } from '../../../src-shared/caller';
import { auditEvent } from '../../audit/events';
import type { Vault } from '../lifecycle/vault';

/**
 * The caller that an IAM access key makes of a request through `door`: the
 * key's user, when the secret is right and the key Active (see
 * Users.authenticate). A refusal is recorded under `eventName` (the
 * operation the caller tried, or ConsoleLogin for the interface) with the
 * access key it gave, and thrown; the vault must be unlocked.
 */
export function authenticate(vault: Vault, credentials: AccessKeyCredentials, door: Door, eventName: string, userAgent?: string): Caller {
  try {
    const principal = vault.use((unlocked) => vault.users.authenticate(unlocked.rootKey.value, credentials));
    return { principal, door, accessKeyId: credentials.accessKeyId, ...(userAgent === undefined ? {} : { userAgent }) };
  } catch (error) {
    const actor = { unknown: door, ...(/^\w{16,128}$/.test(credentials.accessKeyId) ? { accessKeyId: credentials.accessKeyId } : {}) };
    vault.audit.record(auditEvent({ eventName, actor, kind: 'read', error }));
    throw error;
  }
}

/** Signs a door's session in as the user of an access key (see {@link authenticate}), recorded as CloudTrail records a console sign-in: ConsoleLogin. */
export function signIn(vault: Vault, credentials: AccessKeyCredentials, door: Door): Caller {
  const caller = authenticate(vault, credentials, door, 'ConsoleLogin');
  vault.audit.record(auditEvent({ eventName: 'ConsoleLogin', actor: { caller }, kind: 'read', response: { ConsoleLogin: 'Success' } }));
  return caller;
}
