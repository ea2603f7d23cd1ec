import { KmsError } from '../../../src-shared/errors';
import { unwrapRootForRecovery } from '../../crypto/backingKeys';
import { declare } from '../pipeline/declaration';

/**
 * VerifyRecoverySecret: whether a recovery secret combined from shares is
 * the current split's, by opening the root key wrapped under it (and
 * comparing it with the vault's, then forgetting it). A test of the shares
 * while the vault is still at hand.
 */
export const verifyRecoverySecret = declare({
  name: 'VerifyRecoverySecret',
  action: 'strongroom:VerifyRecoverySecret',
  kind: 'data',
  hiddenMembers: ['RecoverySecret'],
  handler: (ctx, request) => {
    const row = ctx.vault.recovery.get();
    if (row?.splitId !== request.SplitId) throw new KmsError('NotFoundException', `The shares are of split ${request.SplitId}, which is not the vault's current split${row === undefined ? '' : ` (${row.splitId})`}: they no longer open anything.`);
    const secret = Buffer.from(request.RecoverySecret, 'base64');
    const root = unwrapRootForRecovery(secret, ctx.vault.record.vaultId, row.splitId, row.wrappedRoot);
    secret.fill(0);
    if (root === undefined) throw new KmsError('InvalidCiphertextException', 'The recovery secret does not open the root key: a share is wrong.');
    const same = root.equals(ctx.unlocked.rootKey.value);
    root.fill(0);
    return { SplitId: row.splitId, Valid: same };
  },
});
