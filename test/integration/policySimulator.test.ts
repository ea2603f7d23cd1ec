// `strongroom iam simulate`: the decision and what makes it, from the same engine, key policy and grants as every call.
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, initCliVault } from '../helpers/cli';
import { PIN } from '../helpers/vault';

let env: Record<string, string>;
let account: string;
beforeAll(() => {
  ({ env } = initCliVault(PIN));
  account = (cli(['status'], env).json as { AccountId: string }).AccountId;
});

function ok(args: string[]): Record<string, string> {
  const result = cli(args, env);
  expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.json as Record<string, string>;
}

describe('strongroom iam simulate', () => {
  it('says allowed, explicitly denied or not allowed, and names the statement or grant that decides', () => {
    const root = `arn:aws:iam::${account}:root`;
    const manage = { Sid: 'Manage', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' };
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        manage,
        { Sid: 'PayrollOnly', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringNotEquals: { 'kms:EncryptionContext:app': 'payroll' } } },
      ],
    });
    const key = ok(['kms', 'create-key', '--policy', policy]).KeyMetadata as unknown as { KeyId: string };
    const simulate = (principal: string, action: string, more: string[] = []) => ok(['iam', 'simulate', '--principal', principal, '--action', action, '--key', key.KeyId, ...more]);

    expect(simulate(root, 'kms:Decrypt', ['--context', 'app=payroll'])).toMatchObject({ decision: 'allowed', decidedBy: 'statement 0 (Sid "Manage") of the key policy' });
    expect(simulate(root, 'kms:Decrypt', ['--context', 'app=crm'])).toMatchObject({ decision: 'explicitDeny', decidedBy: 'statement 1 (Sid "PayrollOnly") of the key policy' });
    const bob = `arn:aws:iam::${account}:user/bob`;
    expect(simulate(bob, 'kms:Encrypt')).toMatchObject({ decision: 'implicitDeny', reason: expect.stringContaining('lets the account\'s identity policies decide') as unknown });

    const grant = ok(['kms', 'create-grant', '--key-id', key.KeyId, '--grantee-principal', bob, '--operations', 'Encrypt']);
    expect(simulate(bob, 'kms:Encrypt')).toMatchObject({ decision: 'allowed', decidedBy: `grant ${grant.GrantId ?? ''}` });
    // Without --key, the action on the account: the root may, a user only as its identity policies say.
    expect(ok(['iam', 'simulate', '--principal', root, '--action', 'kms:CreateKey'])).toMatchObject({ decision: 'allowed' });
    expect(ok(['iam', 'simulate', '--principal', bob, '--action', 'kms:CreateKey'])).toMatchObject({ decision: 'implicitDeny' });

    // The request context is the one a call would have: the key's tags and the alias named.
    const tagged = ok(['kms', 'create-key', '--policy', JSON.stringify({ Version: '2012-10-17', Statement: [manage, { Sid: 'NotSecret', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/tier': 'secret' }, 'ForAnyValue:StringLike': { 'kms:RequestAlias': 'alias/vault-*' } } }] })]).KeyMetadata as unknown as { KeyId: string };
    ok(['kms', 'tag-resource', '--key-id', tagged.KeyId, '--tags', 'TagKey=tier,TagValue=secret']);
    ok(['kms', 'create-alias', '--alias-name', 'alias/vault-payroll', '--target-key-id', tagged.KeyId]);
    expect(ok(['iam', 'simulate', '--principal', root, '--action', 'kms:Decrypt', '--key', 'alias/vault-payroll'])).toMatchObject({ decision: 'explicitDeny', decidedBy: 'statement 1 (Sid "NotSecret") of the key policy' });
    expect(ok(['iam', 'simulate', '--principal', root, '--action', 'kms:Decrypt', '--key', tagged.KeyId])).toMatchObject({ decision: 'allowed' });

    const refused = cli(['iam', 'simulate', '--principal', 'bob', '--action', 'kms:Decrypt'], env);
    expect(refused.status).toBe(254);
    expect(refused.stderr).toMatch(/ValidationException.*Value at 'principal' failed to satisfy constraint/);
    expect(cli(['iam', 'simulate', '--principal', root, '--action', 'kms:Decrypt', '--context', 'nopair'], env).stderr).toMatch(/--context nopair: give key=value/);
  });
});
