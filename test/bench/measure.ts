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

/**
 * Measures an operation and the raw primitive it is built on, alternating
 * five rounds of each (these machines are noisy) and keeping each one's
 * best, and prints both with their ratio.
 */
export function compare(name: string, fn: () => unknown, rawName: string, raw: () => unknown, { ms = 300, settle }: CompareOptions = {}): void {
  let best = 0;
  let bestRaw = 0;
  for (let round = 0; round < 5; round += 1) {
    bestRaw = Math.max(bestRaw, opsPerSecond(raw, ms));
    best = Math.max(best, opsPerSecond(fn, ms));
    settle?.();
  }
  const ratio = bestRaw / best;
  console.log(`${name.padEnd(26)} ${best.toFixed(0).padStart(8)} ops/s   ${rawName.padEnd(18)} ${bestRaw.toFixed(0).padStart(8)} ops/s   cost ${ratio.toFixed(2)}x raw`);
}
