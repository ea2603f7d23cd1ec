import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { tempDir } from './temp';

/** The built CLI, as npm installs it. */
export const BIN = join(__dirname, '..', '..', 'bin', 'strongroom.cjs');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  json: unknown;
}

/** Runs `strongroom <args>` as a user would, with `env` added to a clean environment. */
export function cli(args: string[], env: Record<string, string> = {}, input?: string): CliResult {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STRONGROOM_')));
  const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...clean, ...env }, encoding: 'utf8', input: input ?? '' });
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    json = undefined;
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, json };
}

/** The `{"__type","message"}` a failed command printed on stderr. */
export function errorOf(result: CliResult): { __type: string; message: string } {
  return JSON.parse(result.stderr.trim().split('\n').at(-1) ?? '{}') as { __type: string; message: string };
}

/** Creates a vault with `strongroom init` in a fresh home; returns the home and an environment naming it with its PIN. */
export function initCliVault(pin: string): { home: string; env: Record<string, string> } {
  const home = join(tempDir(), 'home');
  const env = { STRONGROOM_HOME: home, STRONGROOM_PIN: pin };
  const init = cli(['init'], env);
  expect(init.stderr).toContain('shown once and stored nowhere');
  expect(init.status).toBe(0);
  return { home, env };
}
