import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RootOfTrustKind } from '../../src-shared/vault';
import { unwrapBackingKey } from '../../src-main/crypto/backingKeys';
import { vaultFiles } from '../../src-main/kms/lifecycle/files';
import { openDatabaseReadOnly } from '../../src-main/vault/db';
import { call } from '../helpers/kms';
import { scanStoppedProcess, type MemoryHit } from '../helpers/memoryScan';
import { makeVault, PIN, rootKeyCopy } from '../helpers/vault';

// An attacker who reads the memory of the process that holds the vault (a
// core dump, a swapped-out page, a debugger attached later) after it locked
// must find neither the root key nor a backing key or HMAC key it unwrapped.

const ROOT = join(__dirname, '..', '..');
const CYCLES = 5;

let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  child = undefined;
});

/** The next line the holder prints. */
function nextLine(holder: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end === -1) return;
      holder.stdout?.off('data', onData);
      holder.off('exit', onExit);
      resolve(buffered.slice(0, end));
    };
    const onExit = (): void => {
      reject(new Error(`the holder exited before answering; got: ${buffered}`));
    };
    holder.stdout?.on('data', onData);
    holder.once('exit', onExit);
  });
}

/** Sends the holder an order and returns its answer, which must start with `expected`. */
async function order(holder: ChildProcess, line: string, expected: string): Promise<string> {
  const answer = nextLine(holder);
  holder.stdin?.write(`${line}\n`);
  const text = await answer;
  expect(text.startsWith(expected), text).toBe(true);
  return text.slice(expected.length).trim();
}

/** A vault with two symmetric keys and an HMAC key; this process learns its root key by unlocking it, before the holder starts (the holder never hands it out). */
function vaultWithKeys(rootOfTrust: RootOfTrustKind): { home: string; keyIds: string[]; rootKey: Buffer } {
  const { home, vault } = makeVault({ rootOfTrust });
  try {
    vault.unlock(PIN);
    const keyIds = [{}, {}, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }].map((request) => call(vault, 'CreateKey', request).KeyMetadata?.KeyId ?? '');
    return { home, keyIds, rootKey: rootKeyCopy(vault) };
  } finally {
    vault.close();
  }
}

/**
 * What an attacker would look for: the root key and every backing key in the
 * vault file (unwrapped here with the root key, as the holder does), as raw
 * bytes and in hex and base64 (as a string made from them would hold them).
 */
function secretsOf(home: string, rootKey: Buffer): Map<string, Buffer> {
  const secrets = new Map<string, Buffer>([['root key', rootKey]]);
  const db = openDatabaseReadOnly(vaultFiles(home).db);
  try {
    for (const row of db.prepare<[], { keyId: string; version: number; wrapped: Buffer }>('SELECT key_id AS keyId, version, wrapped FROM key_versions').all()) {
      const material = unwrapBackingKey(rootKey, row.keyId, row.version, row.wrapped);
      if (material === undefined) throw new Error(`the backing key of ${row.keyId} does not unwrap`);
      secrets.set(`backing key of ${row.keyId}`, material);
    }
  } finally {
    db.close();
  }
  const needles = new Map<string, Buffer>();
  for (const [name, bytes] of secrets) {
    needles.set(name, bytes);
    needles.set(`${name} (hex)`, Buffer.from(bytes.toString('hex'), 'latin1'));
    needles.set(`${name} (base64)`, Buffer.from(bytes.toString('base64'), 'latin1'));
  }
  return needles;
}

function describeHits(hits: MemoryHit[]): string[] {
  return hits.map((hit) => `${hit.needle} at ${hit.address} in ${hit.mapping}`);
}

describe.each(['aes', 'rsa'] as const)('memory of the process that held the vault (root of trust %s)', (rootOfTrust) => {
  it(`holds no root key or backing key after it locks, in ${String(CYCLES)} unlock/lock cycles`, { timeout: 180_000 }, async () => {
    const { home, keyIds, rootKey } = vaultWithKeys(rootOfTrust);
    const holder = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'memoryHolder.ts'), home, PIN, ...keyIds], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    child = holder;
    expect(await nextLine(holder)).toBe('ready');
    const pid = holder.pid ?? 0;
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const created = await order(holder, 'unlock', 'unlocked');
      // While unlocked the keys in use are there to be found: the scan sees what it looks for.
      const found = new Set(scanStoppedProcess(pid, secretsOf(home, rootKey)).map((hit) => hit.needle));
      expect([...found]).toEqual(expect.arrayContaining(['root key', ...[...keyIds, created].map((id) => `backing key of ${id}`)]));
      await order(holder, 'lock', 'locked');
      expect(describeHits(scanStoppedProcess(pid, secretsOf(home, rootKey))), `after lock ${String(cycle)}`).toEqual([]);
    }
  });
});
