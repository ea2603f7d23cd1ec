import { readFileSync } from 'node:fs';
import { Decrypter, generateHybridIdentity, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { bech32 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import type { CoreOperationName } from '../../src-shared/kms/extensions';
import { exportAuditLog } from '../../src-main/audit/verify';
import { VaultAgeIdentity } from '../../src-main/envelope/ageFiles';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { ageFileFor, stanzasOf } from '../helpers/age';
import { call, errorText, failure } from '../helpers/kms';
import { freshVaultForEachTest, PIN } from '../helpers/vault';

let vault: Vault;
freshVaultForEachTest((made) => {
  vault = made;
});

/** The text of an age file, opened by typage with the vault's identities (UnwrapAgeFileKey); the identity that opened it. */
async function openedByVault(file: Uint8Array): Promise<{ text: string; by: string | undefined }> {
  const identity = new VaultAgeIdentity((name: CoreOperationName, request: Record<string, unknown>) => Promise.resolve(call(vault, name, request) as Record<string, unknown>));
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  const text = await decrypter.decrypt(file, 'text');
  return { text, by: identity.opened?.Name };
}

function records(): Record<string, unknown>[] {
  vault.audit.flush();
  return [...exportAuditLog(vault.db)].map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('age identities in the vault', () => {
  it('are made in the vault, X25519 or hybrid, and open the files typage makes for their recipients', async () => {
    const x25519 = call(vault, 'CreateAgeIdentity', { Name: 'Mine', Description: 'files to me' }).AgeIdentity;
    const hybrid = call(vault, 'CreateAgeIdentity', { Name: 'quantum', Kind: 'MLKEM768X25519' }).AgeIdentity;
    expect(x25519).toMatchObject({ Name: 'Mine', Kind: 'X25519', Description: 'files to me' });
    expect(x25519.Recipient).toMatch(/^age1[02-9ac-hj-np-z]{58}$/);
    expect(hybrid.Recipient).toMatch(/^age1pq1[02-9ac-hj-np-z]+$/);
    expect(call(vault, 'ListAgeIdentities', {}).AgeIdentities.map((i) => i.Name)).toEqual(['Mine', 'quantum']);
    expect(await openedByVault(await ageFileFor([x25519.Recipient], 'to the X25519 one'))).toEqual({ text: 'to the X25519 one', by: 'Mine' });
    expect(await openedByVault(await ageFileFor([hybrid.Recipient], 'to the hybrid one'))).toEqual({ text: 'to the hybrid one', by: 'quantum' });
    const other = await identityToRecipient(await generateX25519Identity());
    expect(await openedByVault(await ageFileFor([other, hybrid.Recipient], 'two recipients'))).toEqual({ text: 'two recipients', by: 'quantum' });
  });

  it('are imported from the identities typage makes, to the same recipients; the secret is never on disk or in the log', async () => {
    for (const made of [await generateX25519Identity(), await generateHybridIdentity()]) {
      const name = made.startsWith('AGE-SECRET-KEY-PQ-') ? 'pq' : 'classic';
      const imported = call(vault, 'CreateAgeIdentity', { Name: name, Identity: `${made}\n` }).AgeIdentity;
      expect(imported.Recipient).toBe(await identityToRecipient(made));
      expect((await openedByVault(await ageFileFor([imported.Recipient]))).by).toBe(name);
      const secret = Buffer.from(bech32.decodeToBytes(made).bytes);
      const file = readFileSync(vault.files.db);
      expect(file.includes(secret) || file.includes(Buffer.from(made))).toBe(false);
      expect(JSON.stringify(records())).not.toContain(made);
      expect(records().find((r) => r.eventName === 'CreateAgeIdentity' && (r.requestParameters as { name?: string }).name === name)).toMatchObject({ requestParameters: { identity: 'HIDDEN_DUE_TO_SECURITY_REASONS' } });
      expect(failure(vault, 'CreateAgeIdentity', { Name: 'again', Identity: made })).toBe(`AlreadyExistsException: The vault already keeps this identity, as ${name}.`);
    }
  });

  it('refuse a name taken in any case, text that is no identity (without repeating it), and Kind with Identity', async () => {
    call(vault, 'CreateAgeIdentity', { Name: 'Mine' });
    expect(failure(vault, 'CreateAgeIdentity', { Name: 'MINE' })).toBe('AlreadyExistsException: There is already an age identity named Mine.');
    const wrong = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';
    const refused = failure(vault, 'CreateAgeIdentity', { Name: 'bad', Identity: wrong });
    expect(refused).toMatch(/^ValidationException: An age identity is AGE-SECRET-KEY-1…/);
    expect(refused).not.toContain(wrong);
    expect(failure(vault, 'CreateAgeIdentity', { Name: 'both', Kind: 'X25519', Identity: await generateX25519Identity() })).toMatch(/^ValidationException: Give Kind for a new identity, or Identity/);
  });

  it('open no file made for others, or whose stanza was changed; deleted, they open nothing', async () => {
    const mine = call(vault, 'CreateAgeIdentity', { Name: 'Mine' }).AgeIdentity.Recipient;
    const other = await identityToRecipient(await generateX25519Identity());
    expect(failure(vault, 'UnwrapAgeFileKey', { Stanzas: stanzasOf(await ageFileFor([other])) })).toBe('InvalidCiphertextException: No age identity of this vault opens the file: it was made for other recipients (X25519).');
    const stanzas = stanzasOf(await ageFileFor([mine]));
    const body = Buffer.from(stanzas[0]?.Body ?? '', 'base64');
    body[5] = (body[5] ?? 0) ^ 1;
    expect(failure(vault, 'UnwrapAgeFileKey', { Stanzas: [{ Args: stanzas[0]?.Args, Body: body.toString('base64') }] })).toMatch(/^InvalidCiphertextException: /);
    expect(Buffer.from(call(vault, 'UnwrapAgeFileKey', { Stanzas: stanzas }).FileKey, 'base64')).toHaveLength(16);
    call(vault, 'DeleteAgeIdentity', { Name: 'mine' });
    expect(call(vault, 'ListAgeIdentities', {}).AgeIdentities).toEqual([]);
    expect(failure(vault, 'UnwrapAgeFileKey', { Stanzas: stanzas })).toMatch(/^InvalidCiphertextException: /);
    expect(failure(vault, 'DeleteAgeIdentity', { Name: 'mine' })).toMatch(/^NotFoundException: /);
  });

  it('changed outside Strongroom are TamperedVaultException', () => {
    call(vault, 'CreateAgeIdentity', { Name: 'Mine' });
    vault.db.prepare("UPDATE age_identities SET recipient = 'age1mallory'").run();
    expect(errorText(() => call(vault, 'ListAgeIdentities', {}))).toMatch(/^TamperedVaultException: .*the age identity Mine/);
    vault.unlock(PIN);
  });
});
