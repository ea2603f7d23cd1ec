import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** A running `strongroom ui --no-open` on a fresh vault home. */
export interface RunningHost {
  url: string;
  origin: string;
  home: string;
  stop(): Promise<void>;
}

/** Starts the browser host as a user would, on an empty vault home, and waits for its address. */
export async function startHost(): Promise<RunningHost> {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-e2e-'));
  const home = join(dir, 'vault');
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'strongroom.cjs'), 'ui', '--no-open'], {
    env: { ...process.env, STRONGROOM_HOME: home, STRONGROOM_PIN: '' },
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
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
