import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 16 * 1024;
let pool = Buffer.alloc(0);
let at = 0;

/**
 * Fills `out` with bytes from node:crypto's CSPRNG and returns it. Small
 * requests (IVs, data keys) are served from a pool refilled 16 KiB at a time,
 * which is much cheaper than one CSPRNG call each; every byte is handed out
 * once and zero-filled in the pool as it leaves.
 */
export function randomFill(out: Buffer): Buffer {
  if (out.length > POOL_BYTES) return randomFillSync(out);
  if (at + out.length > pool.length) {
    pool.fill(0);
    pool = randomFillSync(Buffer.alloc(POOL_BYTES));
    at = 0;
  }
  pool.copy(out, 0, at, at + out.length);
  pool.fill(0, at, at + out.length);
  at += out.length;
  return out;
}

/** Zero-fills the bytes not yet handed out (the vault does so when it locks). */
export function forgetRandomPool(): void {
  pool.fill(0);
  at = pool.length;
}
