import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../src-main/kms/lifecycle/vault';
import { invoke } from '../../src-main/kms/operations';
import { verifyAuditLog } from '../../src-main/audit/verify';
import { makeVault, PIN } from '../helpers/vault';

const ROOT = join(__dirname, '..', '..');
const KILLS = 12;

/** The position of a write in the whole run, from the "<seed>/<step>" it carries: later writes have larger positions. */
function position(text: string | undefined): number {
  const match = /(\d+)\/(\d+)$/.exec(text ?? '');
  return match ? Number(match[1]) * 1_000_000 + Number(match[2]) : -1;
}

/** Runs the crash worker until it has acknowledged some operations, kills it with SIGKILL mid-stream, and returns what it acknowledged. */
function runAndKill(home: string, seed: number): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'crashWorker.ts'), home, PIN, String(seed)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    let errors = '';
    const acked: Record<string, unknown>[] = [];
    const target = 20 + ((seed * 37) % 60);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) acked.push(JSON.parse(line) as Record<string, unknown>);
      if (acked.length >= target && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`worker exited ${String(code)}: ${errors}`));
      else resolve(acked);
    });
  });
}

describe('crash safety', () => {
  it('keeps every acknowledged management change through kill -9, and the vault opens clean', async () => {
    const { home, vault } = makeVault();
    vault.close();
    const acknowledged: Record<string, unknown>[] = [];
    for (let kill = 1; kill <= KILLS; kill += 1) acknowledged.push(...(await runAndKill(home, kill)));
    expect(acknowledged.length).toBeGreaterThan(KILLS * 20);

    const reopened = Vault.open(home, 'test');
    try {
      reopened.unlock(PIN);
      const { store } = reopened;
      const descriptions = new Map<string, string>();
      const tags = new Map<string, string>();
      const rotations = new Map<string, number>();
      for (const op of acknowledged) {
        const keyId = String(op.keyId);
        if (op.op === 'CreateKey' || op.op === 'UpdateKeyDescription') descriptions.set(keyId, String(op.description));
        if (op.op === 'CreateAlias') expect(store.aliases.get(String(op.alias))?.keyId, String(op.alias)).toBe(keyId);
        if (op.op === 'TagResource') tags.set(`${keyId}|${String(op.tagKey)}`, String(op.tagValue));
        if (op.op === 'RotateKeyOnDemand') rotations.set(keyId, (rotations.get(keyId) ?? 0) + 1);
        if (op.op === 'Encrypt') {
          const out = invoke(reopened, 'Decrypt', { CiphertextBlob: op.ciphertext }) as { Plaintext: string };
          expect(Buffer.from(out.Plaintext, 'base64').toString()).toBe(op.plaintext);
        }
      }
      // The value found is the last acknowledged one, or one written after it that the kill cut off before its acknowledgement.
      for (const [keyId, description] of descriptions) expect(position(store.keys.get(keyId)?.description)).toBeGreaterThanOrEqual(position(description));
      for (const [id, value] of tags) {
        const [keyId, tagKey] = id.split('|') as [string, string];
        expect(position(store.tags.ofKey(keyId).find((t) => t.TagKey === tagKey)?.TagValue)).toBeGreaterThanOrEqual(position(value));
      }
      for (const [keyId, count] of rotations) expect(store.keys.get(keyId)?.currentVersion).toBeGreaterThanOrEqual(1 + count);
      // No key without material, no version half-added, no alias pointing nowhere.
      const db = store.db;
      expect(db.prepare('SELECT count(*) AS n FROM keys k WHERE (SELECT count(*) FROM key_versions v WHERE v.key_id = k.key_id) <> k.current_version').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM aliases a LEFT JOIN keys k ON k.key_id = a.key_id WHERE k.key_id IS NULL').get()).toEqual({ n: 0 });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(verifyAuditLog(db).Valid).toBe(true);
      // Every acknowledged change has its record: they were committed together.
      const recordOf = db.prepare("SELECT count(*) AS n FROM audit WHERE event_name = ? AND record LIKE '%' || ? || '%' AND record NOT LIKE '%errorCode%'");
      for (const op of acknowledged.filter((o) => o.op !== 'Encrypt')) {
        expect(recordOf.get(op.op, String(op.keyId)), `${String(op.op)} ${String(op.keyId)}`).not.toEqual({ n: 0 });
      }
    } finally {
      reopened.close();
    }
  }, 180_000);
});
