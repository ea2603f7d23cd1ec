import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openVault } from '../../src-main/bootstrap';
import { invokeAsRoot } from '../helpers/kms';
import type { KeyStore } from '../../src-main/kms/engine/keyStore';
import { verifyAuditLog } from '../../src-main/audit/verify';
import { makeVault, PIN } from '../helpers/vault';

const ROOT = join(__dirname, '..', '..');
const KILLS = 12;
/** Every operation the worker runs; each must be acknowledged at least MIN_ACKS times, or the test proves little about it. */
const OPERATIONS = [
  'CreateKey', 'CreateAlias', 'UpdateAlias', 'DeleteAlias', 'RotateKeyOnDemand', 'TagResource', 'UntagResource', 'UpdateKeyDescription',
  'EnableKey', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion', 'EnableKeyRotation', 'DisableKeyRotation', 'Encrypt',
];
const MIN_ACKS = 3;
const STATE_AFTER: Record<string, string> = { EnableKey: 'Enabled', DisableKey: 'Disabled', ScheduleKeyDeletion: 'PendingDeletion', CancelKeyDeletion: 'Disabled' };
const NEXT_STATES: Record<string, string[]> = { Enabled: ['Disabled', 'PendingDeletion'], Disabled: ['Enabled', 'PendingDeletion'], PendingDeletion: ['Disabled'] };

/** One line of the worker (see crashWorker.ts), with the seed of its run. */
interface Ack {
  op: string;
  step: number;
  seed: number;
  keyId: string;
  description?: string;
  alias?: string;
  tagKey?: string;
  tagValue?: string;
  ciphertext?: string;
  plaintext?: string;
}

/** The position of a write in the whole run, from the "<seed>/<step>" it carries: later writes have larger positions. */
function position(text: string | undefined): number {
  const match = /(\d+)\/(\d+)$/.exec(text ?? '');
  return match ? Number(match[1]) * 1_000_000 + Number(match[2]) : -1;
}
const seedOf = (text: string): number => Math.floor(position(text) / 1_000_000);

/** Runs the crash worker until it has acknowledged some operations, kills it with SIGKILL mid-stream, and returns what it acknowledged. */
function runAndKill(home: string, seed: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'crashWorker.ts'), home, PIN, String(seed)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    let errors = '';
    const acked: Ack[] = [];
    const target = 60 + ((seed * 37) % 60);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? ''; // a line cut by the kill acknowledges nothing
      for (const line of lines) acked.push({ ...(JSON.parse(line) as Omit<Ack, 'seed'>), seed });
      if (acked.length >= target && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`worker exited ${String(code)}: ${errors}`));
      else resolve(acked);
    });
  });
}

/** The state of the runs' keys and aliases, as "<seed> <key id or alias> <field>" -> value; a field absent is an alias or tag there is not. */
type Facts = Map<string, string>;

/** The facts the acknowledged operations leave, in order. */
function acknowledgedFacts(acked: readonly Ack[]): Facts {
  const facts: Facts = new Map();
  for (const ack of acked) {
    const set = (subject: string, field: string, value: string | undefined): void => {
      const fact = `${String(ack.seed)} ${subject} ${field}`;
      if (value === undefined) facts.delete(fact);
      else facts.set(fact, value);
    };
    const { op, keyId } = ack;
    if (op === 'CreateKey') {
      set(keyId, 'state', 'Enabled');
      set(keyId, 'rotation', 'false');
      set(keyId, 'version', '1');
    }
    if (op === 'CreateKey' || op === 'UpdateKeyDescription') set(keyId, 'description', ack.description);
    if (op === 'CreateAlias' || op === 'UpdateAlias') set(String(ack.alias), 'target', keyId);
    if (op === 'DeleteAlias') set(String(ack.alias), 'target', undefined);
    if (op === 'TagResource') set(keyId, `tag ${String(ack.tagKey)}`, ack.tagValue);
    if (op === 'UntagResource') set(keyId, `tag ${String(ack.tagKey)}`, undefined);
    if (op in STATE_AFTER) set(keyId, 'state', STATE_AFTER[op]);
    if (op === 'EnableKeyRotation' || op === 'DisableKeyRotation') set(keyId, 'rotation', String(op === 'EnableKeyRotation'));
    if (op === 'RotateKeyOnDemand') set(keyId, 'version', String(Number(facts.get(`${String(ack.seed)} ${keyId} version`)) + 1));
  }
  return facts;
}

/** The same facts as the reopened vault has them; a key no acknowledgement created is one fact, "new key". */
function vaultFacts(store: KeyStore, seedOfKey: ReadonlyMap<string, number>): Facts {
  const facts: Facts = new Map();
  for (const { keyId } of store.db.prepare('SELECT key_id AS keyId FROM keys').all() as { keyId: string }[]) {
    const key = store.keys.get(keyId);
    const seed = seedOfKey.get(keyId);
    if (key === undefined) continue;
    if (seed === undefined) {
      facts.set(`${String(seedOf(key.description))} ${keyId} new key`, key.description);
      continue;
    }
    const set = (field: string, value: string): Facts => facts.set(`${String(seed)} ${keyId} ${field}`, value);
    set('description', key.description);
    set('state', key.keyState);
    set('rotation', String(key.rotationPeriodDays !== null));
    set('version', String(key.currentVersion));
    for (const tag of store.tags.ofKey(keyId)) set(`tag ${tag.TagKey}`, tag.TagValue);
  }
  for (const { aliasName, keyId } of store.db.prepare('SELECT alias_name AS aliasName, key_id AS keyId FROM aliases').all() as { aliasName: string; keyId: string }[]) {
    facts.set(`${String(seedOf(aliasName))} ${aliasName} target`, keyId);
  }
  return facts;
}

/** A fact of the vault that is not as the acknowledged operations left it. */
interface Difference {
  fact: string;
  seed: number;
  subject: string;
  field: string;
  before: string | undefined;
  after: string | undefined;
}

/** Whether one operation, run after the last acknowledgement (at position `lastAck`) of its run, can turn `before` into `after`. */
function oneLaterStep({ subject, field, before, after }: Difference, lastAck: number): boolean {
  if (field === 'state') return NEXT_STATES[before ?? '']?.includes(after ?? '') ?? false;
  if (field === 'rotation') return before !== undefined && after !== undefined;
  if (field === 'version') return Number(after) === Number(before) + 1;
  if (field === 'target') return before !== undefined || position(subject) > lastAck; // an alias moved or deleted, or a later one created
  // A description, a tag value or a new key's description: written later; or a tag removed.
  return after === undefined ? field.startsWith('tag ') : position(after) > lastAck;
}

describe('crash safety', () => {
  it('keeps every acknowledged management change through kill -9, and the vault opens clean', async () => {
    const { home, vault } = makeVault();
    vault.close();
    const acknowledged: Ack[] = [];
    for (let kill = 1; kill <= KILLS; kill += 1) acknowledged.push(...(await runAndKill(home, kill)));
    const counts = Object.fromEntries(OPERATIONS.map((op) => [op, acknowledged.filter((ack) => ack.op === op).length]));
    expect(new Set(acknowledged.map((ack) => ack.op))).toEqual(new Set(OPERATIONS));
    expect(Object.entries(counts).filter(([, n]) => n < MIN_ACKS), JSON.stringify(counts)).toEqual([]);

    const reopened = openVault(home, 'cli');
    try {
      reopened.unlock(PIN);
      const { store } = reopened;
      const db = store.db;

      // The vault holds exactly what the acknowledged operations left, except where the kill cut off one operation
      // after the last acknowledgement of its run: a run's operations are sequential and each commits before it is
      // acknowledged, so at most one unacknowledged change per run, on one fact (every operation changes one), made by
      // one later operation. A value may thus be newer than the last acknowledged one, never older or lost.
      const lastAck = new Map(acknowledged.map((ack) => [ack.seed, ack.seed * 1_000_000 + ack.step]));
      const expected = acknowledgedFacts(acknowledged);
      const found = vaultFacts(store, new Map(acknowledged.filter((ack) => ack.op === 'CreateKey').map((ack) => [ack.keyId, ack.seed])));
      const differences = [...new Set([...expected.keys(), ...found.keys()])]
        .filter((fact) => expected.get(fact) !== found.get(fact))
        .map((fact) => {
          const [seed = '', subject = '', ...field] = fact.split(' ');
          return { fact, seed: Number(seed), subject, field: field.join(' '), before: expected.get(fact), after: found.get(fact) };
        });
      const explain = ({ fact, before, after }: Difference): string => `${fact}: acknowledged ${String(before)}, found ${String(after)}`;
      const seeds = differences.map((difference) => difference.seed);
      const crowded = differences.filter(({ seed }) => seeds.indexOf(seed) !== seeds.lastIndexOf(seed));
      expect(crowded.map(explain), 'runs with more than one unacknowledged change').toEqual([]);
      const impossible = differences.filter((difference) => !oneLaterStep(difference, lastAck.get(difference.seed) ?? Infinity));
      expect(impossible.map(explain)).toEqual([]);

      // Every acknowledged change has its own record (they commit together): per operation and key (the last key its
      // record names: the alias's new key for UpdateAlias), at least as many successful records as acknowledgements,
      // and in all exactly one more per change found above that no acknowledgement explains (every operation the
      // worker runs changes a fact, and a change commits with its record).
      const management = OPERATIONS.filter((op) => op !== 'Encrypt');
      const tally = (into: Map<string, number>, op: string, keyId: string | undefined): Map<string, number> => into.set(`${op} ${String(keyId)}`, (into.get(`${op} ${String(keyId)}`) ?? 0) + 1);
      const acks = new Map<string, number>();
      for (const ack of acknowledged) if (management.includes(ack.op)) tally(acks, ack.op, ack.keyId);
      const records = new Map<string, number>();
      const rows = db.prepare(`SELECT event_name AS op, record FROM audit WHERE event_name IN (${management.map(() => '?').join(', ')})`).all(...management) as { op: string; record: string }[];
      for (const { op, record } of rows) {
        const { errorCode, resources } = JSON.parse(record) as { errorCode?: string; resources: string[] };
        if (errorCode === undefined) tally(records, op, resources.filter((arn) => arn.includes(':key/')).at(-1)?.split('/').at(-1));
      }
      expect([...acks].filter(([id, n]) => (records.get(id) ?? 0) < n).map(([id, n]) => `${id}: ${String(n)} acknowledged, ${String(records.get(id) ?? 0)} recorded`)).toEqual([]);
      const total = (counted: Map<string, number>): number => [...counted.values()].reduce((sum, n) => sum + n, 0);
      expect(total(records)).toBe(total(acks) + differences.length);

      // No key without material, no version half-added, no alias pointing nowhere.
      expect(db.prepare('SELECT count(*) AS n FROM keys k WHERE (SELECT count(*) FROM key_versions v WHERE v.key_id = k.key_id) <> k.current_version').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM aliases a LEFT JOIN keys k ON k.key_id = a.key_id WHERE k.key_id IS NULL').get()).toEqual({ n: 0 });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(verifyAuditLog(db).Valid).toBe(true);

      // Every acknowledged ciphertext decrypts, once its key is enabled again (after the checks above: this writes).
      for (const ack of acknowledged.filter((a) => a.op === 'Encrypt')) {
        const state = store.keys.get(ack.keyId)?.keyState;
        if (state === 'PendingDeletion') invokeAsRoot(reopened, 'CancelKeyDeletion', { KeyId: ack.keyId });
        if (state !== 'Enabled') invokeAsRoot(reopened, 'EnableKey', { KeyId: ack.keyId });
        const out = invokeAsRoot(reopened, 'Decrypt', { CiphertextBlob: ack.ciphertext }) as { Plaintext: string };
        expect(Buffer.from(out.Plaintext, 'base64').toString()).toBe(ack.plaintext);
      }
    } finally {
      reopened.close();
    }
  }, 180_000);
});
