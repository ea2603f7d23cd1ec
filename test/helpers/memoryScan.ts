import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/** Where a needle was found in another process's memory: its address and the mapping that holds it. */
export interface MemoryHit {
  needle: string;
  address: string;
  mapping: string;
}

const CHUNK = 8 * 1024 * 1024;

/**
 * Reads every readable mapping of process `pid` (through /proc/<pid>/maps
 * and /proc/<pid>/mem) and returns each place where one of `needles` occurs.
 * The process should be stopped (SIGSTOP) while it is read.
 */
export function scanProcessMemory(pid: number, needles: ReadonlyMap<string, Buffer>): MemoryHit[] {
  const longest = Math.max(...[...needles.values()].map((n) => n.length));
  const hits: MemoryHit[] = [];
  const mem = openSync(`/proc/${String(pid)}/mem`, 'r');
  try {
    for (const line of readFileSync(`/proc/${String(pid)}/maps`, 'utf8').split('\n')) {
      const match = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (match === null) continue;
      const [, startHex, endHex, perms, name] = match as unknown as [string, string, string, string, string];
      if (!perms.startsWith('r') || name === '[vvar]' || name === '[vsyscall]') continue;
      const start = BigInt(`0x${startHex}`);
      const end = BigInt(`0x${endHex}`);
      const buffer = Buffer.alloc(CHUNK + longest);
      for (let at = start; at < end; at += BigInt(CHUNK)) {
        const length = Number(end - at < BigInt(CHUNK + longest) ? end - at : BigInt(CHUNK + longest));
        let read: number;
        try {
          read = readSync(mem, buffer, 0, length, at);
        } catch {
          break; // a mapping the kernel will not let us read (a device's, a guard page)
        }
        const view = buffer.subarray(0, read);
        for (const [label, needle] of needles) {
          for (let i = view.indexOf(needle); i !== -1 && i < CHUNK; i = view.indexOf(needle, i + 1)) {
            hits.push({ needle: label, address: `0x${(at + BigInt(i)).toString(16)}`, mapping: `${startHex}-${endHex} ${perms} ${name}`.trim() });
          }
        }
      }
    }
  } finally {
    closeSync(mem);
  }
  return hits;
}

/** Runs {@link scanProcessMemory} on a child process while it is stopped, so that nothing moves under the reader. */
export function scanStoppedProcess(pid: number, needles: ReadonlyMap<string, Buffer>): MemoryHit[] {
  process.kill(pid, 'SIGSTOP');
  try {
    return scanProcessMemory(pid, needles);
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}
