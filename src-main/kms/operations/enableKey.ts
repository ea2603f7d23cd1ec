import { setKeyState } from '../engine/setKeyState';
import { declare } from '../pipeline/declaration';

/** EnableKey: the key may be used for cryptography again. */
export const enableKey = declare({
  name: 'EnableKey',
  action: 'kms:EnableKey',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'toggle' } },
  keyInResponse: true,
  handler: (ctx, _request, { key }) => {
    setKeyState(ctx, key, 'Enabled');
    return {};
  },
});
