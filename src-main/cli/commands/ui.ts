import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { KmsError } from '../../../src-shared/errors';
import { checkoutDir, rendererDir } from '../../paths';
import type { GlobalOptions } from '../globalOptions';

function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new InvalidArgumentError('a port is 0 to 65535 (0 picks a free one)');
  return value;
}

/**
 * The built interface; when there is none yet (a fresh checkout after
 * `npm ci`), builds the app in the checkout with electron-vite first, saying
 * so on standard error. A KmsError says what to do when it cannot.
 */
function builtInterface(): string {
  const ready = rendererDir();
  if (ready !== undefined) return ready;
  const root = checkoutDir();
  const builder = root === undefined ? undefined : join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  if (root === undefined || builder === undefined || !existsSync(builder)) {
    throw new KmsError('KMSInternalException', 'The interface is not built, and electron-vite, which builds it, is not installed here. Run "npm ci" and "npm run build" in the Strongroom checkout.');
  }
  process.stderr.write('Building the interface (once; "npm run build" does it too)…\n');
  const build = spawnSync(process.execPath, [builder, 'build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 2, 2] });
  const built = build.status === 0 ? rendererDir() : undefined;
  if (built === undefined) throw new KmsError('KMSInternalException', 'Building the interface failed (its messages are above). Run "npm run build" in the Strongroom checkout to see them again.');
  return built;
}

/** `strongroom ui`: serves the interface to a browser on this machine, through the browser host. */
export function uiCommand(globals: () => GlobalOptions): Command {
  return new Command('ui')
    .description('Start the interface in a browser on this machine (loopback only, per-launch secret). Runs until interrupted. Builds the interface first if the checkout has not yet.')
    .option('--no-open', 'print the address without opening a Chromium window')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)', port, 0)
    .action(async (flags: { open: boolean; port: number }) => {
      const dir = builtInterface();
      const { serveInterface } = await import('../appWindow'); // the browser host and the app core load only for this command
      await serveInterface(globals().home, dir, flags);
    });
}
