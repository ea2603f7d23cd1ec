import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, errorOf, initCliVault } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { PIN } from '../helpers/vault';

const CUSTODIANS = ['ana', 'bo', 'cy', 'di', 'ed'];

describe('strongroom recovery', () => {
  let env: Record<string, string>;
  let dir: string;
  let passphrases: string[];
  beforeAll(() => {
    ({ env } = initCliVault(PIN));
    dir = tempDir();
    passphrases = CUSTODIANS.flatMap((name) => {
      const file = join(dir, `${name}.pass`);
      writeFileSync(file, `${name} keeps the blue notebook\n`, { mode: 0o600 });
      return ['--passphrase-file', `${name}=${file}`];
    });
  });
  const share = (name: string, at = dir): string => join(at, `${name}.share.json`);

  it('splits the root key’s recovery 3 of 5; shares of custodians, in files or words, recover it; two do not; a changed share is caught', () => {
    const made = cli(['recovery', 'split', '--threshold', '3', ...CUSTODIANS.flatMap((name) => ['--custodian', name]), '--out', dir, '--print', ...passphrases], env);
    expect(made.status, made.stderr).toBe(0);
    const { RecoverySplit } = made.json as { RecoverySplit: { SplitId: string; Threshold: number; Custodians: string[] } };
    expect(RecoverySplit).toMatchObject({ Threshold: 3, Custodians: CUSTODIANS });
    expect(cli(['recovery', 'status'], env).json).toMatchObject({ RecoverySplit: { SplitId: RecoverySplit.SplitId } });
    expect(cli(['recovery', 'check', share('bo'), ...passphrases], env).json).toMatchObject({ Sound: true, Custodian: 'bo', Index: 2, Threshold: 3, Shares: 5, SplitId: RecoverySplit.SplitId });

    const recovered = (shares: string[]): unknown => cli(['recovery', 'test', ...shares, ...passphrases], env).json;
    expect(recovered(['ana', 'cy', 'ed'].flatMap((name) => ['--share', share(name)]))).toEqual({ SplitId: RecoverySplit.SplitId, Valid: true });
    const printed = readFileSync(join(dir, 'di.share.txt'), 'utf8');
    const words = [...printed.matchAll(/^\s*\d+\. (\w+)$/gm)].map((match) => match[1]).join(' ');
    expect(readFileSync(join(dir, 'di.share.svg'), 'utf8')).toMatch(/^<svg/);
    expect(recovered(['--share', share('bo'), '--share', share('ed'), '--words', words])).toEqual({ SplitId: RecoverySplit.SplitId, Valid: true });

    expect(errorOf(cli(['recovery', 'test', '--share', share('ana'), '--share', share('bo'), ...passphrases], env)).message).toBe(`Split ${RecoverySplit.SplitId} needs 3 of its 5 shares; 2 were given.`);
    const changed = JSON.parse(readFileSync(share('cy'), 'utf8')) as { Sealed: string };
    const sealed = Buffer.from(changed.Sealed, 'base64');
    sealed[20] = (sealed[20] ?? 0) ^ 1;
    writeFileSync(join(dir, 'changed.json'), JSON.stringify({ ...changed, Sealed: sealed.toString('base64') }));
    expect(errorOf(cli(['recovery', 'check', join(dir, 'changed.json'), ...passphrases], env))).toMatchObject({ __type: 'InvalidCiphertextException', message: expect.stringMatching(/does not open with that passphrase \(or the file was changed\)/) as string });
    expect(errorOf(cli(['recovery', 'check', share('ana'), '--passphrase-file', `ana=${join(dir, 'bo.pass')}`], env)).__type).toBe('InvalidCiphertextException');

    const audit = cli(['audit', 'export'], env).stdout;
    expect(audit).toMatch(/"eventName":"CreateRecoverySplit".*"recoverySecret":"HIDDEN_DUE_TO_SECURITY_REASONS"/);
    expect(audit).toMatch(/"eventName":"VerifyRecoverySecret".*"recoverySecret":"HIDDEN_DUE_TO_SECURITY_REASONS"/);
    expect([...audit.matchAll(/"recoverySecret":"([^"]*)"/g)].map((match) => match[1])).toEqual(Array(3).fill('HIDDEN_DUE_TO_SECURITY_REASONS'));
  });

  it('a new split makes the old shares useless; shares of another vault do not combine with these', () => {
    const before = join(dir, 'before');
    const after = join(dir, 'after');
    for (const folder of [before, after]) mkdirSync(folder);
    const split = (out: string, vault = env): string => {
      const made = cli(['recovery', 'split', '--threshold', '2', '--custodian', 'ana', '--custodian', 'bo', '--custodian', 'cy', '--out', out, ...passphrases], vault);
      expect(made.status, made.stderr).toBe(0);
      return (made.json as { RecoverySplit: { SplitId: string } }).RecoverySplit.SplitId;
    };
    const old = split(before);
    split(after);
    expect(errorOf(cli(['recovery', 'test', '--share', share('ana', before), '--share', share('bo', before), ...passphrases], env))).toMatchObject({ __type: 'NotFoundException', message: expect.stringMatching(new RegExp(`of split ${old}, which is not the vault's current split`)) as string });

    const other = initCliVault(PIN).env;
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    split(foreign, other);
    expect(errorOf(cli(['recovery', 'test', '--share', share('ana', after), '--share', share('bo', foreign), ...passphrases], env)).message).toMatch(/The shares are of different splits .*, of different vaults/);
    expect(cli(['recovery', 'split', '--threshold', '2', '--custodian', 'ana', '--custodian', 'bo', '--out', after, ...passphrases], env).stderr).toMatch(/ana.share.json exists: choose an empty folder/);
  });
});
