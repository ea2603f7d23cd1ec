import { KmsError } from '../../src-shared/errors';
import { unwrapRootForRecovery } from '../crypto/backingKeys';
import { combineShares, vaultFingerprint, type RecoveryShare } from './shares';

/** A vault's recovery split as a vault or its backup keeps it: the root key wrapped under the split's secret. */
export interface KeptSplit {
  readonly vaultId: string;
  readonly splitId: string;
  readonly wrappedRoot: Buffer;
}

/**
 * The root key, from M shares of the split `kept`: the shares are combined
 * and the secret opens the wrapped root key. ValidationException for shares
 * of another vault or of another split (an older one, which a new split
 * made useless); InvalidCiphertextException when they combine to something
 * else (a share was changed). The caller zero-fills the key.
 */
export async function recoverRootKey(shares: readonly RecoveryShare[], kept: KeptSplit): Promise<Buffer> {
  const combined = await combineShares(shares);
  try {
    if (combined.vault !== vaultFingerprint(kept.vaultId)) throw new KmsError('ValidationException', `The shares are of another vault's split, not of vault ${kept.vaultId}.`);
    if (combined.splitId !== kept.splitId) throw new KmsError('ValidationException', `The shares are of split ${combined.splitId}, but the split that protects this root key is ${kept.splitId}: they are of an older or newer split.`);
    const root = unwrapRootForRecovery(combined.secret, kept.vaultId, kept.splitId, kept.wrappedRoot);
    if (root === undefined) throw new KmsError('InvalidCiphertextException', `The shares combine, but not to the secret of split ${kept.splitId}: one of them was changed.`);
    return root;
  } finally {
    combined.secret.fill(0);
  }
}
