import { readFileSync } from 'node:fs';

/** Runs `fn` repeatedly for about `ms` milliseconds (after a short warm-up) and returns calls per second. */
export function opsPerSecond(fn: () => unknown, ms = 400): number {
  for (let i = 0; i < 50; i += 1) fn();
  let calls = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 20; i += 1) fn();
    calls += 20;
    now = process.hrtime.bigint();
  }
  return calls / (Number(now - start) / 1e9);
}

/** How to measure: milliseconds per round, and what to wait for after each round of the operation (the audit writer catching up). */
export interface CompareOptions {
  ms?: number;
  settle?: () => void;
}

/** CPU time of the calling thread in microseconds, where Linux tells it (/proc/thread-self/schedstat). */
function threadCpuMicros(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;
  } catch {
    return undefined;
  }
}

/** A sustained rate, and the CPU time each call took: on every thread of the process, and on the calling thread alone (where known). */
export interface Sustained {
  perSecond: number;
  cpuMicros: number;
  callerMicros: number | undefined;
}

/**
 * Calls per second of `fn` called without pause for `ms` milliseconds,
 * counting the time `settle` then takes (the audit writer committing what
 * is left): the rate the vault keeps up, not a burst.
 */
export function sustainedOpsPerSecond(fn: () => unknown, settle: () => void, ms: number): Sustained {
  let calls = 0;
  const cpu = process.cpuUsage();
  const caller = threadCpuMicros();
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 100; i += 1) fn();
    calls += 100;
  }
  settle();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const callerNow = threadCpuMicros();
  return {
    perSecond: calls / seconds,
    cpuMicros: (used.user + used.system) / calls,
    callerMicros: caller === undefined || callerNow === undefined ? undefined : (callerNow - caller) / calls,
  };
}

/**
 * Measures an operation and the raw primitives it is built on (by name),
 * alternating five rounds of each (these machines are noisy) and keeping
 * each one's best, and prints the operation next to each primitive with
 * their ratio. Returns the ratios by primitive.
 */
export function compare(name: string, fn: () => unknown, raws: Record<string, () => unknown>, { ms = 300, settle }: CompareOptions = {}): Map<string, number> {
  let best = 0;
  const bestRaw = new Map<string, number>();
  for (let round = 0; round < 5; round += 1) {
    for (const [rawName, raw] of Object.entries(raws)) bestRaw.set(rawName, Math.max(bestRaw.get(rawName) ?? 0, opsPerSecond(raw, ms)));
    best = Math.max(best, opsPerSecond(fn, ms));
    settle?.();
  }
  let label = `${name.padEnd(26)} ${best.toFixed(0).padStart(8)} ops/s`;
  const ratios = new Map<string, number>();
  for (const [rawName, rawOps] of bestRaw) {
    ratios.set(rawName, rawOps / best);
    console.log(`${label}   ${rawName.padEnd(18)} ${rawOps.toFixed(0).padStart(8)} ops/s   cost ${(rawOps / best).toFixed(2)}x raw`);
    label = ' '.repeat(label.length);
  }
  return ratios;
}
