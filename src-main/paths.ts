import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The app's name in per-user data paths, as Electron's app.getPath('userData') uses it. */
export const APP_NAME = 'strongroom';

/**
 * The per-user app-data directory the desktop app uses:
 * $XDG_CONFIG_HOME/strongroom or ~/.config/strongroom on Linux,
 * ~/Library/Application Support/strongroom on macOS, %APPDATA%\strongroom on Windows.
 */
export function appDataDir(): string {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/** The vault home, as an absolute path: the explicit choice, else STRONGROOM_HOME, else the app-data directory. */
export function resolveHome(explicit?: string): string {
  return resolve(explicit ?? process.env.STRONGROOM_HOME ?? appDataDir());
}

/** The Strongroom checkout or package this code runs from: the nearest directory above it with a package.json. */
export function checkoutDir(): string | undefined {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return undefined;
}

/** The built interface (index.html and its assets): next to the CLI bundle, or in out/renderer of the checkout. */
export function rendererDir(): string | undefined {
  const bundled = join(__dirname, '..', 'renderer');
  if (existsSync(join(bundled, 'index.html'))) return bundled;
  const root = checkoutDir();
  const built = root === undefined ? undefined : join(root, 'out', 'renderer');
  return built !== undefined && existsSync(join(built, 'index.html')) ? built : undefined;
}
