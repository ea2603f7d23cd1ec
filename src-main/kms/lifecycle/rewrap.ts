import type { Door } from '../../../src-shared/caller';
import { KmsError } from '../../../src-shared/errors';
import { secretBuffer } from '../../crypto/secret';
import { recoverRootKey } from '../../recovery/recoverRoot';
import { moveRootKey, type MoveTarget } from './moveRoot';
import type { RootSource } from './restore';
import { describeRecord, type Vault } from './vault';

export interface RewrapOptions {
  /** The current token's PIN (the vault is unlocked with it), or M shares of the vault's recovery split (for a token that is gone). */
  from: RootSource;
  to: Omit<MoveTarget, 'home'>;
  door: Door;
}

/** What a rewrap did, and what is left on the old token. */
export interface RewrapResult {
  VaultId: string;
  Token: ReturnType<typeof describeRecord>['Token'];
  RootOfTrust: string;
  SecurityOfficerPin?: string;
  /** The old token's objects of this vault, which nothing uses any more: destroy them when the new token has been tried. */
  OldTokenObjects: { Token: string; Labels: string[] };
}

/** The vault's root key: unlocked with the current token (the vault then locks, signing a last checkpoint with the old audit key), or from shares. */
async function currentRoot(vault: Vault, from: RootSource): Promise<Buffer> {
  if ('token' in from) {
    vault.unlock(from.token.pin);
    const root = vault.use(({ rootKey }) => {
      const copy = secretBuffer(rootKey.value.length);
      rootKey.value.copy(copy);
      return copy;
    });
    vault.lock();
    return root;
  }
  const split = vault.recovery.get();
  if (split === undefined) throw new KmsError('ValidationException', 'The vault has no recovery split: rewrap it with its current token.');
  return recoverRootKey(from.shares, { vaultId: vault.record.vaultId, splitId: split.splitId, wrappedRoot: split.wrappedRoot });
}

/**
 * Moves the vault's root key from its current token to another, changing
 * how the token wraps it if asked (moveRootKey), and closes the vault,
 * whose record now names the new token. Both tokens may be present, or the
 * old one gone and M shares given. The old token's keys of this vault are
 * left for the officer to destroy.
 */
export async function rewrapRootKey(vault: Vault, options: RewrapOptions): Promise<RewrapResult> {
  const before = vault.record;
  const rootKey = await currentRoot(vault, options.from);
  try {
    const how = 'token' in options.from ? { unlockedWith: 'token' } : { unlockedWith: 'recovery shares', custodians: options.from.custodians.join(', ') };
    const moved = moveRootKey(vault.db, rootKey, { ...options.to, home: vault.files.home }, { eventName: 'RewrapRootKey', door: options.door, request: how });
    const described = describeRecord(vault.files.home, moved.vault);
    return {
      VaultId: before.vaultId,
      Token: described.Token,
      RootOfTrust: moved.vault.rootMechanism,
      ...(moved.soPin === undefined ? {} : { SecurityOfficerPin: moved.soPin }),
      OldTokenObjects: {
        Token: before.tokenKind === 'embedded' ? `the embedded token in ${vault.files.home}/token` : `"${before.tokenLabel}" (serial ${before.tokenSerial}) in ${before.modulePath ?? ''}`,
        Labels: [`strongroom root ${before.vaultId}`, `strongroom audit ${before.vaultId}`],
      },
    };
  } finally {
    rootKey.fill(0);
    vault.close();
  }
}
