// npm start: builds the app and starts it in Electron where the Electron binary is installed.
// Where it is not, it says so and serves the same interface to Chromium through the browser host (strongroom ui).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

/** The Electron binary, if its package downloaded one (reading path.txt, as require('electron') does, without triggering a download). */
function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

if (run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']) !== 0) process.exit(1);
if (run(process.execPath, [join(root, 'scripts', 'build-cli.mjs')]) !== 0) process.exit(1);
const binary = electronBinary();
if (binary) process.exit(run(binary, [root]));

console.error(`The Electron binary is not installed here (npm does not download it: it needs
Node 22.12+ and a network that reaches Electron's releases; "node node_modules/electron/install.js"
fetches it). Starting the same interface in Chromium through the browser host instead.
`);
process.exit(run(process.execPath, [join(root, 'bin', 'strongroom.cjs'), 'ui', ...process.argv.slice(2)]));
