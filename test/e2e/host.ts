import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

const ROOT = join(__dirname, '..', '..');
/** The command line, as the README's commands run it. */
export const CLI = join(ROOT, 'bin', 'strongroom.cjs');

/** The passphrase of every vault the end-to-end tests create. */
export const PIN = 'granite-otter-velvet-lamp-71';

/** A running `strongroom ui --no-open` on a vault home. */
export interface RunningHost {
  url: string;
  origin: string;
  home: string;
  /** Stops the host (once: again does nothing); the home is deleted unless `keepHome`. */
  stop(keepHome?: boolean): Promise<void>;
}

/**
 * Starts the browser host as a user would and waits for its address. On an
 * empty home unless `home` is given; `withVault` first creates a vault there
 * with `strongroom init` (passphrase PIN), so the page opens on Unlock.
 * `env` is added to the host's environment (SOFTHSM2_CONF for a vault on a
 * token of its own directory).
 */
export async function startHost(options: { home?: string; withVault?: boolean; env?: Record<string, string> } = {}): Promise<RunningHost> {
  const dir = options.home === undefined ? mkdtempSync(join(tmpdir(), 'strongroom-e2e-')) : undefined;
  const home = options.home ?? join(dir ?? '', 'vault');
  if (options.withVault === true) {
    const init = spawnSync(process.execPath, [CLI, 'init'], { env: { ...process.env, STRONGROOM_HOME: home, STRONGROOM_PIN: PIN }, encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`strongroom init failed: ${init.stderr}`);
  }
  const child: ChildProcess = spawn(process.execPath, [CLI, 'ui', '--no-open'], {
    env: { ...process.env, ...options.env, STRONGROOM_HOME: home, STRONGROOM_PIN: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      reject(new Error(`no address from strongroom ui: ${out}`));
    }, 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /Strongroom is at (\S+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      reject(new Error(`strongroom ui exited ${String(code)}: ${out}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    home,
    stop: async (keepHome = false) => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepHome && dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens the host's page and unlocks its vault (made with `withVault`) with the mouse-free path a person would take. */
export async function openUnlocked(page: Page, host: RunningHost): Promise<void> {
  await page.goto(host.url);
  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('pin').press('Enter');
  await expect(page.getByTestId('vault-state')).toHaveText('Unlocked');
}

/** Gives each test of the file, through `use`, a temp directory and a browser host on a fresh vault in it (`DIR/vault`), both gone after the test. */
export function hostWithVaultForEachTest(prefix: string, use: (made: { dir: string; host: RunningHost }) => void): void {
  let made: { dir: string; host: RunningHost } | undefined;
  test.beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made = { dir, host: await startHost({ home: join(dir, 'vault'), withVault: true }) };
    use(made);
  });
  test.afterEach(async () => {
    await made?.host.stop();
    if (made !== undefined) rmSync(made.dir, { recursive: true, force: true });
    made = undefined;
  });
}
