import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { KmsError } from '../../../src-shared/errors';
import { startBrowserHost, type BrowserHost } from '../../host/server';
import { AppCore } from '../../ipc/appCore';
import { rendererDir } from '../../paths';
import type { GlobalOptions } from '../globalOptions';

const CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new InvalidArgumentError('a port is 0 to 65535 (0 picks a free one)');
  return value;
}

/** The environment for the browser: this one without any Strongroom variable (a PIN among them). */
function browserEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STRONGROOM_')));
}

/** Turns off the profile's password manager before Chromium first runs, so that it never offers to save the token PIN. */
function withoutPasswordManager(profile: string): void {
  const file = join(profile, 'Default', 'Preferences');
  let preferences: Record<string, unknown> = {};
  try {
    preferences = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  }
  const profileSection = typeof preferences.profile === 'object' && preferences.profile !== null ? preferences.profile : {};
  writeFileSync(file, JSON.stringify({ ...preferences, credentials_enable_service: false, profile: { ...profileSection, password_manager_enabled: false } }), { mode: 0o600 });
}

/** Chromium's profile for the interface, in the vault directory. */
const profileOf = (home: string): string => join(home, 'ui-profile');

/** The private file that leads Chromium to the host's address. */
const launchFileOf = (home: string): string => join(profileOf(home), 'launch.html');

/**
 * Opens the host's address in a Chromium app window with its own profile in
 * the vault directory; says why when it cannot. The address goes through a
 * private file that redirects to it, not on Chromium's command line, where
 * other users could read it; the file is removed once the address is used.
 */
function openAppWindow(host: BrowserHost, home: string): string {
  const chromium = CHROMIUMS.find((path) => existsSync(path));
  if (chromium === undefined) return 'No Chromium found (sudo apt-get install chromium); open the address above in a browser on this machine.';
  if (process.platform === 'linux' && process.env.DISPLAY === undefined && process.env.WAYLAND_DISPLAY === undefined) {
    return 'No display here; open the address above in a browser on this machine.';
  }
  const profile = profileOf(home);
  withoutPasswordManager(profile);
  const launchFile = launchFileOf(home);
  rmSync(launchFile, { force: true });
  writeFileSync(launchFile, `<!doctype html><meta http-equiv="refresh" content="0;url=${host.url}">`, { mode: 0o600, flag: 'wx' });
  void host.launched.then(() => {
    rmSync(launchFile, { force: true });
  });
  const args = [`--app=${pathToFileURL(launchFile).href}`, `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check', '--disable-background-networking', '--disable-sync'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  spawn(chromium, args, { detached: true, stdio: 'ignore', env: browserEnvironment() }).unref();
  return `Opened in ${chromium}.`;
}

/** `strongroom ui`: serves the interface to a browser on this machine, through the browser host. */
export function uiCommand(globals: () => GlobalOptions): Command {
  return new Command('ui')
    .description('Start the interface in a browser on this machine (loopback only, per-launch secret). Runs until interrupted.')
    .option('--no-open', 'print the address without opening a Chromium window')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)', port, 0)
    .action(async (flags: { open: boolean; port: number }) => {
      const dir = rendererDir();
      if (dir === undefined) throw new KmsError('KMSInternalException', 'The interface is not built. Run "npm run build" in the Strongroom checkout.');
      const { home } = globals();
      const core = new AppCore(home, 'host');
      const host = await startBrowserHost(core, dir, flags.port);
      process.stdout.write(`Strongroom is at ${host.url}\n`);
      if (flags.open) process.stdout.write(`${openAppWindow(host, home)}\n`);
      process.stdout.write('Press Ctrl+C to stop; the vault locks when this stops.\n');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      rmSync(launchFileOf(home), { force: true });
      core.close();
      await host.close();
    });
}
