import type { Db } from './db';
import type { SealSlot } from './stateSeal';

/**
 * Prepared statements over key_policies: each key's policy text. A policy
 * decides who may use its key, so its row is sealed like the key rows
 * (TamperedVaultException on one changed outside Strongroom).
 */
export class KeyPoliciesRepo {
  private readonly one;
  private readonly upsert;
  private readonly missing;

  constructor(
    db: Db,
    private readonly seal: SealSlot,
  ) {
    this.one = db.prepare<[string], { document: string; mac: Buffer | null }>('SELECT document, mac FROM key_policies WHERE key_id = ?');
    this.missing = db.prepare<[], { keyId: string }>('SELECT key_id AS keyId FROM keys WHERE key_id NOT IN (SELECT key_id FROM key_policies)');
    this.upsert = db.prepare('INSERT INTO key_policies (key_id, document, mac) VALUES (@keyId, @document, @mac) ON CONFLICT (key_id) DO UPDATE SET document = excluded.document, mac = excluded.mac');
  }

  /** The policy text of `keyId`, checked against its seal while the vault is unlocked; undefined for a key that has the default policy. */
  get(keyId: string): string | undefined {
    const row = this.one.get(keyId);
    if (row === undefined) return undefined;
    this.seal.current?.check('key_policies', [keyId, row.document], row.mac, `the key policy of key ${keyId}`);
    return row.document;
  }

  /** Gives every key without a policy `document` (at the first unlock after keys got policies), sealed. */
  fillMissing(document: string): void {
    for (const { keyId } of this.missing.all()) this.put(keyId, document);
  }

  /** Sets the policy text of `keyId`, sealed. */
  put(keyId: string, document: string): void {
    this.upsert.run({ keyId, document, mac: this.seal.required().mac('key_policies', [keyId, document]) });
  }
}
