import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from './temp';

const run = promisify(execFile);

/** Where Debian's libtpm2-pkcs11-1 puts the module. */
export const TPM2_PKCS11_MODULE = '/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so';

/** The token tpm2_ptool creates on the software TPM. */
export const TPM_TOKEN = { label: 'Strongroom TPM', pin: '246810', soPin: '87654321' } as const;

/** A software TPM (swtpm) behind tpm2-abrmd on a private D-Bus session bus, with a tpm2-pkcs11 store holding one token. */
export interface SoftwareTpm {
  /** Runs a tpm2-tools command (e.g. `tpm2_dictionarylockout`) against this TPM. */
  tool(command: string, args: string[]): Promise<string>;
  /** Kills swtpm: the TPM is gone, as when a device is unplugged. */
  removeTpm(): Promise<void>;
}

const children = new Set<ChildProcess>();

function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
// Killed even when the worker exits without running afterAll.
process.on('exit', killAll);

function start(command: string, args: string[], stdout: 'pipe' | 'ignore' = 'ignore'): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', stdout, 'pipe'] });
  children.add(child);
  child.stderr?.resume();
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => { resolve(); }));
}

function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => { resolve(false); });
    server.listen(port, '127.0.0.1', () => server.close(() => { resolve(true); }));
  });
}

/** Two free consecutive loopback ports: swtpm's TCTI takes the server port and uses the next one for control. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = 20_000 + 2 * Math.floor(Math.random() * 20_000);
    if ((await free(port)) && (await free(port + 1))) return port;
  }
}

/** Retries `attempt` every 100 ms until it resolves; gives up when `child` exits, or with the last error after 30 s. */
async function until<T>(child: ChildProcess, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${child.spawnfile} exited with ${String(child.exitCode)}`);
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${child.spawnfile} did not come up: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function accepts(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(); });
    socket.once('error', reject);
  });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const line = text.split('\n')[0];
      if (text.includes('\n') && line !== undefined) resolve(line.trim());
    });
    child.once('exit', (code) => { reject(new Error(`exited with ${String(code)} before printing`)); });
  });
}

const busConfig = (socket: string): string => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socket}</listen>
  <policy context="default"><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy>
</busconfig>
`;

async function startTpm(): Promise<SoftwareTpm> {
  const dir = tempDir('tpm-');
  const state = join(dir, 'state');
  const store = join(dir, 'store');
  mkdirSync(state);
  mkdirSync(store);

  const port = await freePortPair();
  const swtpm = start('swtpm', [
    'socket', '--tpm2', '--tpmstate', `dir=${state}`,
    '--server', `type=tcp,port=${String(port)},bindaddr=127.0.0.1`,
    '--ctrl', `type=tcp,port=${String(port + 1)},bindaddr=127.0.0.1`,
    '--flags', 'not-need-init,startup-clear',
  ]);
  await until(swtpm, () => accepts(port));

  writeFileSync(join(dir, 'bus.conf'), busConfig(join(dir, 'bus')));
  const bus = start('dbus-daemon', ['--nofork', '--print-address=1', `--config-file=${join(dir, 'bus.conf')}`], 'pipe');
  const address = await firstLine(bus);

  // The variables tpm2-pkcs11 reads at C_Initialize: set before any test loads the module.
  Object.assign(process.env, {
    DBUS_SESSION_BUS_ADDRESS: address,
    TPM2_PKCS11_STORE: store,
    TPM2_PKCS11_TCTI: 'tabrmd:bus_type=session',
    TPM2TOOLS_TCTI: 'tabrmd:bus_type=session',
    TSS2_LOG: 'all+none',
  });
  const abrmd = start('tpm2-abrmd', ['--allow-root', '--session', `--tcti=swtpm:host=127.0.0.1,port=${String(port)}`]);
  const tool = async (command: string, args: string[]): Promise<string> => (await run(command, args, { env: process.env })).stdout;
  await until(abrmd, () => tool('tpm2_getrandom', ['--hex', '4']));

  await tool('tpm2_ptool', ['init', `--path=${store}`]);
  await tool('tpm2_ptool', ['addtoken', '--pid=1', `--label=${TPM_TOKEN.label}`, `--sopin=${TPM_TOKEN.soPin}`, `--userpin=${TPM_TOKEN.pin}`, `--path=${store}`]);

  return {
    tool,
    async removeTpm() {
      swtpm.kill('SIGKILL');
      await exited(swtpm);
    },
  };
}

/**
 * Starts a software TPM for this test file (swtpm on random loopback ports,
 * a private dbus-daemon, tpm2-abrmd, a tpm2-pkcs11 store with {@link TPM_TOKEN})
 * before its tests, points this process's tpm2-pkcs11 variables at it, and
 * kills every one of those processes after the file, whether its tests passed or not.
 */
export function softwareTpmForThisFile(): () => SoftwareTpm {
  let tpm: SoftwareTpm | undefined;
  beforeAll(async () => {
    tpm = await startTpm();
  }, 120_000);
  afterAll(async () => {
    const all = [...children];
    killAll();
    children.clear();
    await Promise.all(all.map(exited));
  });
  return () => {
    if (tpm === undefined) throw new Error('the software TPM did not start');
    return tpm;
  };
}
