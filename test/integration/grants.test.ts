import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src-shared/caller';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { invoke } from '../../src-main/kms/pipeline/invoke';
import { b64, call, errorText, failure, newKey } from '../helpers/kms';
import { freshVaultForEachTest } from '../helpers/vault';

let vault: Vault;
freshVaultForEachTest((made) => {
  vault = made;
});

const arnOf = (name: string): string => `arn:aws:iam::${vault.record.accountId}:user/${name}`;
/** A user of the vault's account whom no identity policy allows anything. */
const as = (name: string): Caller => ({ principal: { type: 'User', accountId: vault.record.accountId, arn: arnOf(name) }, door: 'cli' });
/** `operation` called by user `name`: 'no error' or the error's text. */
const by = (name: string, operation: Parameters<typeof invoke>[2], request: Record<string, unknown>): string => errorText(() => invoke(vault, as(name), operation, request));
/** What `operation` called by user `name` answers (its members that are text). */
const result = (name: string, operation: Parameters<typeof invoke>[2], request: Record<string, unknown>): Record<string, string> => invoke(vault, as(name), operation, request) as Record<string, string>;

describe('grants', () => {
  it('let a principal use a key for their operations, within their constraint, at once; the token works in GrantTokens; retired, they stop', () => {
    const keyId = newKey(vault);
    expect(by('bob', 'Encrypt', { KeyId: keyId, Plaintext: b64('x') })).toMatch(/^AccessDeniedException: User: .*user\/bob is not authorized to perform: kms:Encrypt/);
    const { GrantId, GrantToken } = call(vault, 'CreateGrant', {
      KeyId: keyId,
      GranteePrincipal: arnOf('bob'),
      RetiringPrincipal: arnOf('carol'),
      Operations: ['Encrypt', 'Decrypt'],
      Constraints: { EncryptionContextSubset: { Department: 'Finance' } },
    });
    expect(GrantId).toMatch(/^[0-9a-f]{64}$/);
    const context = { Department: 'Finance', Quarter: 'Q3' };
    const { CiphertextBlob } = result('bob', 'Encrypt', { KeyId: keyId, Plaintext: b64('ledger'), EncryptionContext: context, GrantTokens: [GrantToken] });
    expect(Buffer.from(result('bob', 'Decrypt', { CiphertextBlob, EncryptionContext: context }).Plaintext ?? '', 'base64').toString()).toBe('ledger');
    expect(by('bob', 'Encrypt', { KeyId: keyId, Plaintext: b64('x'), EncryptionContext: { Department: 'Sales' } })).toMatch(/^AccessDeniedException: /);
    expect(by('bob', 'GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context })).toMatch(/^AccessDeniedException: /);
    expect(by('bob', 'Encrypt', { KeyId: keyId, Plaintext: b64('x'), EncryptionContext: context, GrantTokens: [b64('not a token of this vault')] })).toMatch(/^InvalidGrantTokenException: /);

    // The account lists what Carol may retire (an IAM permission, which only the root has until users get policies); Bob may not retire it, Carol may.
    expect(call(vault, 'ListRetirableGrants', { RetiringPrincipal: arnOf('carol') }).Grants?.map((g) => g.GrantId)).toEqual([GrantId]);
    expect(by('carol', 'ListRetirableGrants', { RetiringPrincipal: arnOf('carol') })).toMatch(/^AccessDeniedException: /);
    expect(by('bob', 'RetireGrant', { GrantToken })).toMatch(/^AccessDeniedException: .*Only the account that made grant/);
    expect(by('carol', 'RetireGrant', { GrantToken })).toBe('no error');
    expect(by('bob', 'Decrypt', { CiphertextBlob, EncryptionContext: context })).toMatch(/^AccessDeniedException: /);
    expect(by('bob', 'Encrypt', { KeyId: keyId, Plaintext: b64('x'), EncryptionContext: context, GrantTokens: [GrantToken] })).toMatch(/^InvalidGrantTokenException: /);
    expect(call(vault, 'ListGrants', { KeyId: keyId }).Grants).toEqual([]);
  });

  it('are listed as AWS lists them, filtered and paged; a Name makes CreateGrant idempotent; RevokeGrant stops one at once', () => {
    const keyId = newKey(vault);
    const request = { KeyId: keyId, GranteePrincipal: arnOf('dave'), Operations: ['Decrypt', 'DescribeKey'], Name: 'nightly-backup' };
    const first = call(vault, 'CreateGrant', request);
    expect(call(vault, 'CreateGrant', request).GrantId).toBe(first.GrantId);
    const other = call(vault, 'CreateGrant', { ...request, Operations: ['Encrypt'] });
    expect(other.GrantId).not.toBe(first.GrantId);
    const erin = call(vault, 'CreateGrant', { KeyId: keyId, GranteePrincipal: arnOf('erin'), Operations: ['GenerateDataKey'], Constraints: { EncryptionContextEquals: { app: 'backup' } } });

    const listed = call(vault, 'ListGrants', { KeyId: keyId });
    expect(listed.Truncated).toBe(false);
    expect(listed.Grants?.map((g) => g.GrantId)).toEqual([first.GrantId, other.GrantId, erin.GrantId]);
    expect(listed.Grants?.[0]).toMatchObject({
      KeyId: `arn:aws:kms:${vault.record.region}:${vault.record.accountId}:key/${keyId}`,
      Name: 'nightly-backup',
      GranteePrincipal: arnOf('dave'),
      IssuingAccount: `arn:aws:iam::${vault.record.accountId}:root`,
      Operations: ['Decrypt', 'DescribeKey'],
    });
    expect(listed.Grants?.[2]?.Constraints).toEqual({ EncryptionContextEquals: { app: 'backup' } });
    expect(call(vault, 'ListGrants', { KeyId: keyId, GranteePrincipal: arnOf('erin') }).Grants?.map((g) => g.GrantId)).toEqual([erin.GrantId]);
    expect(call(vault, 'ListGrants', { KeyId: keyId, GrantId: other.GrantId }).Grants?.map((g) => g.GrantId)).toEqual([other.GrantId]);
    const page = call(vault, 'ListGrants', { KeyId: keyId, Limit: 2 });
    expect(page).toMatchObject({ Truncated: true });
    expect(call(vault, 'ListGrants', { KeyId: keyId, Limit: 2, Marker: page.NextMarker }).Grants?.map((g) => g.GrantId)).toEqual([erin.GrantId]);

    expect(by('dave', 'DescribeKey', { KeyId: keyId })).toBe('no error');
    call(vault, 'RevokeGrant', { KeyId: keyId, GrantId: first.GrantId });
    expect(by('dave', 'DescribeKey', { KeyId: keyId })).toMatch(/^AccessDeniedException: /);
    expect(failure(vault, 'RevokeGrant', { KeyId: keyId, GrantId: first.GrantId })).toMatch(/^NotFoundException: /);
    expect(failure(vault, 'RevokeGrant', { KeyId: keyId, GrantId: 'not-a-grant' })).toMatch(/^InvalidGrantIdException: /);
  });

  it('a grant that allows CreateGrant passes on only its own operations; operations and constraints must fit the key', () => {
    const keyId = newKey(vault);
    call(vault, 'CreateGrant', { KeyId: keyId, GranteePrincipal: arnOf('bob'), Operations: ['CreateGrant', 'Encrypt'] });
    expect(by('bob', 'CreateGrant', { KeyId: keyId, GranteePrincipal: arnOf('dave'), Operations: ['Encrypt'] })).toBe('no error');
    expect(by('bob', 'CreateGrant', { KeyId: keyId, GranteePrincipal: arnOf('dave'), Operations: ['Decrypt'] })).toMatch(/^AccessDeniedException: /);

    expect(failure(vault, 'CreateGrant', { KeyId: keyId, GranteePrincipal: arnOf('bob'), Operations: ['Sign'] })).toMatch(/^ValidationException: .*not Sign/);
    expect(failure(vault, 'CreateGrant', { KeyId: keyId, GranteePrincipal: 'bob', Operations: ['Encrypt'] })).toMatch(/^ValidationException: GranteePrincipal must be the ARN/);
    const signer = call(vault, 'CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }).KeyMetadata?.KeyId ?? '';
    expect(failure(vault, 'CreateGrant', { KeyId: signer, GranteePrincipal: arnOf('bob'), Operations: ['Sign'], Constraints: { EncryptionContextSubset: { a: 'b' } } })).toMatch(/^ValidationException: .*symmetric encryption keys only/);
    const { GrantToken } = call(vault, 'CreateGrant', { KeyId: signer, GranteePrincipal: arnOf('bob'), Operations: ['Sign', 'GetPublicKey'] });
    expect(by('bob', 'Sign', { KeyId: signer, Message: b64('release'), SigningAlgorithm: 'ECDSA_SHA_256', GrantTokens: [GrantToken] })).toBe('no error');
    expect(by('bob', 'Verify', { KeyId: signer, Message: b64('release'), SigningAlgorithm: 'ECDSA_SHA_256', Signature: b64('x') })).toMatch(/^AccessDeniedException: /);
  });

  it('a key takes at most 50,000 grants', () => {
    const keyId = newKey(vault);
    const { store } = vault;
    vault.use(() => {
      vault.db.transaction(() => {
        for (let i = 0; i < 50_000; i += 1) {
          store.grants.insert({ grantId: i.toString(16).padStart(64, '0'), keyId, name: null, grantee: arnOf('bob'), retiring: null, operations: '["Encrypt"]', constraints: null, issuingAccount: vault.record.accountId, createdAt: i });
        }
      })();
    });
    store.grantsChanged(keyId);
    expect(failure(vault, 'CreateGrant', { KeyId: keyId, GranteePrincipal: arnOf('bob'), Operations: ['Decrypt'] })).toMatch(/^LimitExceededException: .*50000 grants/);
  });
});
