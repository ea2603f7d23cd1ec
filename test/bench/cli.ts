// The CLI's start next to Node's own: `strongroom kms encrypt` as a script runs it, against `node -e 0`, in the same run.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initVault } from '../../src-main/kms/lifecycle/init';
import { Vault } from '../../src-main/kms/lifecycle/vault';
import { accountRoot } from '../../src-main/bootstrap';
import { invoke } from '../../src-main/kms/pipeline/invoke';

/** How much slower than `node -e 0` a `strongroom kms encrypt` may be, in milliseconds. */
const AIM_MS = 120;

interface Command {
  label: string;
  args: string[];
}

/** The median of `values`. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** A command line as hyperfine takes it (the paths here have no spaces or quotes). */
const commandLine = ({ args }: Command): string => [process.execPath, ...args].join(' ');

/** Median wall-clock milliseconds of each command with hyperfine (no shell, 3 warm-up runs); undefined when hyperfine is not installed. */
function withHyperfine(commands: readonly Command[], runs: number, dir: string): number[] | undefined {
  const report = join(dir, 'hyperfine.json');
  const run = spawnSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', report, ...commands.map(commandLine)], { stdio: 'ignore' });
  if (run.error !== undefined || run.status !== 0) return undefined;
  const { results } = JSON.parse(readFileSync(report, 'utf8')) as { results: { median: number }[] };
  return results.map((result) => result.median * 1000);
}

/** Median wall-clock milliseconds of each command, run in turn (after 3 warm-up rounds) so that the machine's swings fall on all alike. */
function withSpawnLoop(commands: readonly Command[], runs: number): number[] {
  const times = commands.map((): number[] => []);
  for (let round = -3; round < runs; round += 1) {
    commands.forEach(({ args }, i) => {
      const start = process.hrtime.bigint();
      const run = spawnSync(process.execPath, args, { stdio: 'ignore' });
      if (run.status !== 0) throw new Error(`${commandLine(commands[i] ?? { label: '', args })} failed`);
      if (round >= 0) times[i]?.push(Number(process.hrtime.bigint() - start) / 1e6);
    });
  }
  return times.map(median);
}

/** Milliseconds since `start`. */
const since = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

/**
 * What a kms command does with the vault, timed in this process (the median
 * of 5 rounds): open it, unlock it (the token: C_Initialize, C_Login, and
 * C_Decrypt of the root key, and a durable Unlock record), one Encrypt, and
 * close it (lock, with its durable records).
 */
function vaultSteps(home: string, pin: string, request: Record<string, unknown>): Record<string, number> {
  const rounds = [1, 2, 3, 4, 5].map(() => {
    let start = process.hrtime.bigint();
    const lap = (): number => {
      const ms = since(start);
      start = process.hrtime.bigint();
      return ms;
    };
    const vault = Vault.open(home, 'cli');
    const open = lap();
    vault.unlock(pin);
    const unlock = lap();
    invoke(vault, accountRoot(vault, 'cli'), 'Encrypt', request);
    const encrypt = lap();
    vault.close();
    return { open, unlock, encrypt, close: lap() };
  });
  return Object.fromEntries(Object.keys(rounds[0] ?? {}).map((step) => [step, median(rounds.map((round) => round[step as keyof typeof round]))]));
}

/**
 * Makes a vault in `dir` with a key under alias/bench, then times
 * `node -e 0`, `strongroom --version` (the CLI's start alone) and
 * `strongroom kms encrypt` of 32 bytes (start, vault, token unlock, the
 * call and its audit records), `runs` times each, and prints their medians
 * against `node -e 0`'s.
 */
export function benchCliStart(dir: string, pin: string, runs: number): void {
  const home = join(dir, 'cli-vault');
  initVault({ home, pin, rootOfTrust: 'aes' });
  const vault = Vault.open(home, 'cli');
  vault.unlock(pin);
  const keyId = (invoke(vault, accountRoot(vault, 'cli'), 'CreateKey', {}) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  invoke(vault, accountRoot(vault, 'cli'), 'CreateAlias', { AliasName: 'alias/bench', TargetKeyId: keyId });
  vault.close();
  const steps = vaultSteps(home, pin, { KeyId: 'alias/bench', Plaintext: Buffer.alloc(32, 7).toString('base64') });
  const pinFile = join(dir, 'pin');
  writeFileSync(pinFile, `${pin}\n`, { mode: 0o600 });
  const plaintext = join(dir, 'plaintext');
  writeFileSync(plaintext, Buffer.alloc(32, 7));

  const bin = join(__dirname, '..', '..', 'bin', 'strongroom.cjs');
  const encrypt: Command = { label: 'strongroom kms encrypt 32 B', args: [bin, '--home', home, '--pin-file', pinFile, 'kms', 'encrypt', '--key-id', 'alias/bench', '--plaintext', `fileb://${plaintext}`] };
  const commands: Command[] = [{ label: 'node -e 0', args: ['-e', '0'] }, { label: 'strongroom --version', args: [bin, '--version'] }, encrypt];
  // The first run after a build makes the CLI's code cache from what it compiles: let that be the call measured.
  spawnSync(process.execPath, encrypt.args, { stdio: 'ignore' });
  const hyperfine = withHyperfine(commands, runs, dir);
  const [node = Number.NaN, ...cli] = hyperfine ?? withSpawnLoop(commands, runs);
  console.log(`\nCLI start, median of ${String(runs)} runs (${hyperfine ? 'hyperfine' : 'spawnSync; install hyperfine for steadier figures'}), against node -e 0 in the same run:`);
  console.log(`${'node -e 0'.padEnd(30)} ${node.toFixed(0).padStart(5)} ms`);
  cli.forEach((ms, i) => {
    console.log(`${(commands[i + 1]?.label ?? '').padEnd(30)} ${ms.toFixed(0).padStart(5)} ms   ${(ms / node).toFixed(2)}x, +${(ms - node).toFixed(0)} ms`);
  });
  const described = Object.entries(steps).map(([step, ms]) => `${step} ${ms.toFixed(1)}`);
  console.log(`Of kms encrypt, the vault's part, timed in this process (ms): ${described.join(', ')}; unlock is the token's work.`);
  const encryptMs = cli.at(-1) ?? Number.NaN;
  console.log(`Aim: kms encrypt within ${String(AIM_MS)} ms of node -e 0: ${encryptMs - node <= AIM_MS ? 'met' : 'not met'} in this run.`);
}
