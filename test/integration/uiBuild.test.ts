import { spawn } from 'node:child_process';
import { cpSync, existsSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp';

const ROOT = join(__dirname, '..', '..');

/** A checkout as `npm ci` leaves it: sources, dependencies and the CLI bundle, but no built interface. */
function freshCheckout(): string {
  const dir = join(tempDir(), 'strongroom');
  for (const path of ['package.json', 'tsconfig.json', 'electron.vite.config.ts', 'bin', 'resources', 'src-main', 'src-preload', 'src-renderer', 'src-shared', join('out', 'cli')]) {
    cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  }
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
  return dir;
}

/** Runs `strongroom ui --no-open` from `checkout` until it prints its address; returns what it wrote on standard error by then. */
function startUi(checkout: string, home: string): Promise<string> {
  const child = spawn(process.execPath, [join(checkout, 'bin', 'strongroom.cjs'), 'ui', '--no-open'], { env: { ...process.env, STRONGROOM_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.includes('Strongroom is at ')) child.kill('SIGTERM');
    });
    child.once('exit', (code) => {
      if (stdout.includes('Strongroom is at ')) resolve(stderr);
      else reject(new Error(`strongroom ui exited ${String(code)}: ${stdout}${stderr}`));
    });
  });
}

describe('strongroom ui in a checkout where the interface is not built yet', () => {
  it('builds it first, saying so, and then serves it; the next start serves what was built', async () => {
    const checkout = freshCheckout();
    const home = join(tempDir(), 'home');
    expect(existsSync(join(checkout, 'out', 'renderer'))).toBe(false);

    expect(await startUi(checkout, home)).toContain('Building the interface');
    expect(existsSync(join(checkout, 'out', 'renderer', 'index.html'))).toBe(true);

    expect(await startUi(checkout, home)).not.toContain('Building the interface');
  }, 180_000);
});
