import { setKeyState } from '../engine/setKeyState';
import { declare } from '../pipeline/declaration';

/** DisableKey: cryptographic operations with the key fail with DisabledException until it is enabled. */
export const disableKey = declare({
  name: 'DisableKey',
  action: 'kms:DisableKey',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'toggle' } },
  keyInResponse: true,
  handler: (ctx, _request, { key }) => {
    setKeyState(ctx, key, 'Disabled');
    return {};
  },
});
