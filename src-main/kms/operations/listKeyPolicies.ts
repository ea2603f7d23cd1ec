import { KEY_POLICY_NAME } from '../../policy/defaultKeyPolicy';
import { declare } from '../pipeline/declaration';

/** ListKeyPolicies: the names of a key's policies; a key has one, "default". */
export const listKeyPolicies = declare({
  name: 'ListKeyPolicies',
  action: 'kms:ListKeyPolicies',
  kind: 'read',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'any' } },
  handler: () => ({ PolicyNames: [KEY_POLICY_NAME], Truncated: false }),
});
