import type { DisableKeyRequest } from '../../../src-shared/kms/shapes.generated';
import type { KmsContext } from '../context';
import { setKeyState } from '../engine/setKeyState';

/** DisableKey: cryptographic operations with the key fail with DisabledException until it is enabled. */
export function disableKey(ctx: KmsContext, request: DisableKeyRequest): Record<string, never> {
  setKeyState(ctx, request.KeyId, 'Disabled', 'kms:DisableKey');
  return {};
}
