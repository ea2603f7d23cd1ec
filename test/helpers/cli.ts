import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { makeExternalToken } from './softhsm';
import { tempDir } from './temp';

/** The built CLI, as npm installs it. */
export const BIN = join(__dirname, '..', '..', 'bin', 'strongroom.cjs');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  json: unknown;
}

/** The environment of a CLI run: this one without any Strongroom or AWS variable, with `env` added. */
function cliEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STRONGROOM_') && !k.startsWith('AWS_'))), ...env };
}

function resultOf(status: number | null, stdout: string, stderr: string): CliResult {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { status, stdout, stderr, json };
}

/** Runs `strongroom <args>` as a user would, with `env` added to a clean environment. */
export function cli(args: string[], env: Record<string, string> = {}, input?: string): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: cliEnvironment(env), encoding: 'utf8', input: input ?? '' });
  return resultOf(result.status, result.stdout, result.stderr);
}

/** As {@link cli}, without blocking this process: for runs at the same time as others. */
export function cliAsync(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { env: cliEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (status) => {
    resolve(resultOf(status, stdout, stderr));
  }));
}

/** The `{"__type","message"}` a failed command printed on stderr. */
export function errorOf(result: CliResult): { __type: string; message: string } {
  return JSON.parse(result.stderr.trim().split('\n').at(-1) ?? '{}') as { __type: string; message: string };
}

/**
 * Creates a vault with `strongroom init` in a fresh home; returns the home and
 * an environment naming it with its PIN. On a fresh SoftHSM2 token made with
 * softhsm2-util whose user PIN is `pin`, so that commands pay no Argon2,
 * unless `embedded` asks for the embedded token with `pin` as its passphrase.
 */
export function initCliVault(pin: string, { embedded = false } = {}): { home: string; env: Record<string, string> } {
  const home = join(tempDir(), 'home');
  if (embedded) {
    const env = { STRONGROOM_HOME: home, STRONGROOM_PIN: pin };
    const init = cli(['init'], env);
    expect(init.stderr).toContain('shown once and stored nowhere');
    expect(init.status).toBe(0);
    return { home, env };
  }
  const token = makeExternalToken('CLI Vault', pin);
  const env = { STRONGROOM_HOME: home, STRONGROOM_PIN: pin, SOFTHSM2_CONF: token.conf };
  const init = cli(['init', '--pkcs11', token.modulePath, '--token-label', token.label], env);
  expect(init.stderr).toBe('');
  expect(init.status).toBe(0);
  return { home, env };
}
