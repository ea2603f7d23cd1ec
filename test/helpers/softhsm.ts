import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSoftHsm2 } from '../../src-main/hsm/module';
import { tempDir } from './temp';

/**
 * Runs OpenSC's pkcs11-tool (a reader of tokens no one here wrote) on the
 * SoftHSM2 tokens that `conf` describes; returns its exit status and output.
 */
export function pkcs11Tool(conf: string, args: string[]): { status: number | null; stdout: string } {
  const run = spawnSync('pkcs11-tool', ['--module', findSoftHsm2(), ...args], { env: { ...process.env, SOFTHSM2_CONF: conf }, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout };
}

/** A SoftHSM2 token created the way an administrator would, with softhsm2-util, outside any vault. */
export interface ExternalToken {
  conf: string;
  modulePath: string;
  label: string;
  pin: string;
  soPin: string;
}

/**
 * Creates a SoftHSM2 token directory with one initialized token and points
 * this process's SOFTHSM2_CONF at it (SoftHSM2 reads it at C_Initialize).
 */
export function makeExternalToken(label = 'External', pin = '246810'): ExternalToken {
  const dir = tempDir('softhsm-');
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const soPin = '87654321';
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--so-pin', soPin, '--pin', pin], {
    env: { ...process.env, SOFTHSM2_CONF: conf },
    stdio: 'pipe',
  });
  process.env.SOFTHSM2_CONF = conf;
  return { conf, modulePath: findSoftHsm2(), label, pin, soPin };
}

/** A SoftHSM2 token directory of its own, where `addToken` makes tokens as an administrator would (softhsm2-util). */
export function tokenDirectory(): { conf: string; addToken: (label: string, pin: string) => void } {
  const dir = tempDir('softhsm-');
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  return {
    conf,
    addToken: (label, pin) => execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--so-pin', '87654321', '--pin', pin], { env: { ...process.env, SOFTHSM2_CONF: conf }, stdio: 'pipe' }),
  };
}

/** The RFC 7512 URI of the SoftHSM2 token labelled `label`. */
export const tokenUri = (label: string): string => `pkcs11:token=${encodeURIComponent(label)}?module-path=${findSoftHsm2()}`;
