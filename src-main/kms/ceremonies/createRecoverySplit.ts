import { KmsError } from '../../../src-shared/errors';
import { wrapRootForRecovery } from '../../crypto/backingKeys';
import { declare } from '../pipeline/declaration';
import { splitShape } from './splitShape';

/**
 * CreateRecoverySplit: the root key wrapped under the split's recovery
 * secret, which the caller made, split and wrote out first (so that a
 * failure on the way leaves the split before in place); the split replaces
 * the one before. Recorded without the secret.
 */
export const createRecoverySplit = declare({
  name: 'CreateRecoverySplit',
  action: 'strongroom:CreateRecoverySplit',
  kind: 'change',
  hiddenMembers: ['RecoverySecret'],
  check: (request) => {
    const lowered = request.Custodians.map((name) => name.toLowerCase());
    if (new Set(lowered).size !== lowered.length) throw new KmsError('ValidationException', 'Each custodian is named once: each holds one share.');
    if (Buffer.from(request.RecoverySecret, 'base64').length !== 32) throw new KmsError('ValidationException', 'A recovery secret is 32 bytes (256 bits).');
    if (request.Threshold > request.Custodians.length) throw new KmsError('ValidationException', `A threshold of ${String(request.Threshold)} needs at least that many custodians; ${String(request.Custodians.length)} are named.`);
  },
  handler: (ctx, request) => {
    const { vaultId } = ctx.vault.record;
    const splitId = request.SplitId;
    const secret = Buffer.from(request.RecoverySecret, 'base64');
    try {
      const row = { splitId, threshold: request.Threshold, custodians: request.Custodians, wrappedRoot: wrapRootForRecovery(secret, vaultId, splitId, ctx.unlocked.rootKey.value), createdAt: Date.now() };
      ctx.vault.recovery.replace(row);
      return { RecoverySplit: splitShape(vaultId, row) };
    } finally {
      secret.fill(0);
    }
  },
});
