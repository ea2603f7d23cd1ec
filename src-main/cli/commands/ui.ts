import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { KmsError } from '../../../src-shared/errors';
import { startBrowserHost } from '../../host/server';
import { AppCore } from '../../ipc/appCore';
import { rendererDir } from '../../paths';
import type { GlobalOptions } from '../program';

const CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new InvalidArgumentError('a port is 0 to 65535 (0 picks a free one)');
  return value;
}

/** Opens `url` in a Chromium app window with its own profile in the vault directory; says why when it cannot. */
function openAppWindow(url: string, home: string): string {
  const chromium = CHROMIUMS.find((path) => existsSync(path));
  if (chromium === undefined) return 'No Chromium found (sudo apt-get install chromium); open the address above in a browser on this machine.';
  if (process.platform === 'linux' && process.env.DISPLAY === undefined && process.env.WAYLAND_DISPLAY === undefined) {
    return 'No display here; open the address above in a browser on this machine.';
  }
  const args = [`--app=${url}`, `--user-data-dir=${join(home, 'ui-profile')}`, '--no-first-run', '--no-default-browser-check', '--disable-background-networking', '--disable-sync'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  spawn(chromium, args, { detached: true, stdio: 'ignore' }).unref();
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
      if (flags.open) process.stdout.write(`${openAppWindow(host.url, home)}\n`);
      process.stdout.write('Press Ctrl+C to stop; the vault locks when this stops.\n');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      core.close();
      await host.close();
    });
}
