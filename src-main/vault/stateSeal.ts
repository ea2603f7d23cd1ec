import { createHmac, timingSafeEqual } from 'node:crypto';
import { KmsError } from '../../src-shared/errors';
import { SecretBytes, secretBuffer } from '../crypto/secret';

/** A stored value a seal covers: a column of a row. */
export type SealedValue = string | number | Buffer | null;

/** The label of the seal key's derivation (NIST SP 800-108 counter mode: counter 1, label, 0, context = vault id, length in bits). */
const LABEL = 'strongroom vault state seal v1';

/** The error for a row whose seal does not match: `what` names the row ("the row of key …"), `problem` says what is wrong with it. */
export function tampered(what: string, problem = 'does not match its seal'): KmsError {
  return new KmsError(
    'TamperedVaultException',
    `The vault file was changed outside Strongroom: ${what} ${problem}. The vault is locked. Find out who can write the vault's directory, and restore the vault from a backup made before the change.`,
  );
}

/**
 * HMAC-SHA256 seals over the rows whose change alters what the vault allows
 * (the vault record and its settings, each key, each key version), under a
 * key derived with HKDF from the vault root key: only someone who unlocked
 * the vault can make one. The key is zero-filled by {@link StateSeal.destroy}.
 */
export class StateSeal {
  private constructor(private readonly key: SecretBytes) {}

  /**
   * The seal key of the vault `vaultId`, derived from its root key (which the
   * caller keeps) with HMAC-SHA256 as the PRF of NIST SP 800-108's KDF in
   * counter mode: one block is the 256 bits needed. node:crypto's HMAC keeps
   * no copy of the root key afterwards, where its hkdfSync would leave one in
   * a KeyObject until the garbage collector frees it.
   */
  static derive(rootKey: Buffer, vaultId: string): StateSeal {
    const input = Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.from(`${LABEL}\0${vaultId}`, 'utf8'), Buffer.from([0, 0, 1, 0])]);
    const derived = createHmac('sha256', rootKey).update(input).digest();
    const key = secretBuffer(derived.length);
    derived.copy(key);
    derived.fill(0);
    return new StateSeal(SecretBytes.adopt(key));
  }

  /** The seal of one row of `table`: its columns in a fixed order, the row's identity among them. */
  mac(table: string, values: readonly SealedValue[]): Buffer {
    const encoded = JSON.stringify([table, ...values.map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : v))]);
    return createHmac('sha256', this.key.value).update(encoded).digest();
  }

  /** Throws TamperedVaultException naming `what` unless `stored` is the seal of these values. */
  check(table: string, values: readonly SealedValue[], stored: Buffer | null, what: string): void {
    const expected = this.mac(table, values);
    if (stored === null || stored.length !== expected.length || !timingSafeEqual(stored, expected)) throw tampered(what);
  }

  destroy(): void {
    this.key.destroy();
  }
}

/**
 * Where the repositories find the seal: set while the vault is unlocked,
 * empty while it is locked (when rows are read unchecked and not cached).
 */
export class SealSlot {
  current: StateSeal | undefined;

  /** The seal, for a write; a write without one would leave a row no one can check. */
  required(): StateSeal {
    if (this.current === undefined) throw new KmsError('VaultLockedException', 'The vault is locked. Unlock it with the token PIN.');
    return this.current;
  }
}
