import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const running = new Set<ChildProcess>();
afterEach(async () => {
  const exits = [...running].map((child) =>
    child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve)),
  );
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  await Promise.all(exits);
});

/** Waits until the child prints a line that starts with `prefix`; resolves to that line. */
export function waitForLine(child: ChildProcess, prefix: string, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      reject(new Error(`no "${prefix}" line within ${String(timeoutMs)} ms; got: ${buffered}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => l.startsWith(prefix));
      if (line !== undefined) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
  });
}

/** Starts a process that tries to hold the vault in `home` open (unlocked with `pin` if given); it prints "ready" when it does, and exits 1 when it cannot. */
export function spawnHolder(home: string, pin?: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const args = ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'holder.ts'), home, ...(pin === undefined ? [] : [pin])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  running.add(child);
  return child;
}

/** Starts a process that holds the vault in `home` open (unlocked with `pin` if given), and waits until it does. */
export async function startHolder(home: string, pin?: string): Promise<ChildProcess> {
  const child = spawnHolder(home, pin);
  child.stderr?.pipe(process.stderr);
  await waitForLine(child, 'ready');
  return child;
}

/** Starts the browser host in a process of its own on the vault in `home` (see hostHolder.ts); resolves to the process and its one-time address. */
export async function startHostHolder(home: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'hostHolder.ts'), home], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.stderr.pipe(process.stderr);
  const line = await waitForLine(child, 'ready');
  return { child, url: line.slice('ready '.length) };
}
