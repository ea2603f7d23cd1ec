import type { EnableKeyRequest } from '../../../src-shared/kms/shapes.generated';
import type { KmsContext } from '../context';
import { setKeyState } from '../engine/setKeyState';

/** EnableKey: the key may be used for cryptography again. */
export function enableKey(ctx: KmsContext, request: EnableKeyRequest): Record<string, never> {
  setKeyState(ctx, request.KeyId, 'Enabled', 'kms:EnableKey');
  return {};
}
