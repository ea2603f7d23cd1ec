/** Runs `fn` repeatedly for about `ms` milliseconds (after a short warm-up) and returns calls per second. */
export function opsPerSecond(fn: () => unknown, ms = 1000): number {
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

/** One line of a report: the figure, the raw primitive's figure, and their ratio. */
export function report(name: string, ops: number, rawName: string, rawOps: number): void {
  const ratio = rawOps / ops;
  console.log(`${name.padEnd(34)} ${ops.toFixed(0).padStart(9)} ops/s   ${rawName} ${rawOps.toFixed(0).padStart(9)} ops/s   cost ${ratio.toFixed(2)}x raw`);
}
