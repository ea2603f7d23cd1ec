// Runs mixed KMS operations on a vault until killed, printing one line per acknowledged operation:
// {"op", "step", "keyId", ...what it wrote}. Every value it writes carries "<seed>/<step>", so later writes compare greater.
// It works only on the keys and aliases it created itself, and tracks their state, so it calls each operation only where
// it is valid (no LimitExceeded, no state errors): any error is the vault's fault, and stops the worker and the test.
// Usage: node --import tsx test/helpers/crashWorker.ts <home> <pin> <seed>
import { accountRoot, openVault } from '../../src-main/bootstrap';
import { invoke } from '../../src-main/kms/pipeline/invoke';
import type { OperationName } from '../../src-shared/kms/shapes.generated';

const [home, pin, seedText] = process.argv.slice(2) as [string, string, string];
const vault = openVault(home, 'cli');
vault.unlock(pin);
const caller = accountRoot(vault, 'cli');
const invokeAsRoot = (name: OperationName, request: unknown): unknown => invoke(vault, caller, name, request);

/** mulberry32, seeded from the seed argument: exact 32-bit arithmetic, so each of the n results is equally likely. */
let state = Number(seedText) | 0;
function random(n: number): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
}
const pick = <T>(items: readonly T[]): T | undefined => items[random(items.length)];

interface Key {
  id: string;
  state: 'Enabled' | 'Disabled' | 'PendingDeletion';
  rotation: boolean;
  onDemandRotations: number;
  tags: Set<string>;
}
const keys: Key[] = [];
const aliases = new Map<string, Key>();
const manageable = (key: Key): boolean => key.state !== 'PendingDeletion';
const enabled = (key: Key): boolean => key.state === 'Enabled';

/** What an acknowledgement reports besides op and step; undefined when no key or alias fits the operation. */
type Ack = { keyId: string } & Record<string, string>;
type Operation = (mark: string) => Ack | undefined;

/** An operation on a random tracked key that passes `fits`. */
const onKey = (fits: (key: Key) => boolean, run: (key: Key, mark: string) => Ack): Operation => (mark) => {
  const key = pick(keys.filter(fits));
  return key && run(key, mark);
};
/** An operation that only moves a key from one state to another. */
const setState = (name: 'EnableKey' | 'DisableKey' | 'ScheduleKeyDeletion' | 'CancelKeyDeletion', from: Key['state'][], to: Key['state']): Operation =>
  onKey((key) => from.includes(key.state), (key) => {
    invokeAsRoot(name, name === 'ScheduleKeyDeletion' ? { KeyId: key.id, PendingWindowInDays: 7 } : { KeyId: key.id });
    key.state = to;
    return { keyId: key.id };
  });
/** EnableKeyRotation or DisableKeyRotation, on an enabled key whose rotation it changes. */
const setRotation = (name: 'EnableKeyRotation' | 'DisableKeyRotation', on: boolean): Operation =>
  onKey((key) => enabled(key) && key.rotation !== on, (key) => {
    invokeAsRoot(name, { KeyId: key.id });
    key.rotation = on;
    return { keyId: key.id };
  });

const OPERATIONS: Record<string, Operation> = {
  CreateKey: (mark) => {
    const description = `crash ${mark}`;
    const { KeyMetadata } = invokeAsRoot('CreateKey', { Description: description }) as { KeyMetadata: { KeyId: string } };
    keys.push({ id: KeyMetadata.KeyId, state: 'Enabled', rotation: false, onDemandRotations: 0, tags: new Set() });
    return { keyId: KeyMetadata.KeyId, description };
  },
  CreateAlias: onKey(manageable, (key, mark) => {
    const alias = `alias/crash/${mark}`;
    invokeAsRoot('CreateAlias', { AliasName: alias, TargetKeyId: key.id });
    aliases.set(alias, key);
    return { keyId: key.id, alias };
  }),
  UpdateAlias: () => {
    const alias = pick([...aliases.keys()]);
    const target = pick(keys.filter((key) => manageable(key) && key !== aliases.get(alias ?? '')));
    if (alias === undefined || target === undefined) return undefined;
    invokeAsRoot('UpdateAlias', { AliasName: alias, TargetKeyId: target.id });
    aliases.set(alias, target);
    return { keyId: target.id, alias };
  },
  DeleteAlias: () => {
    const [alias, key] = pick([...aliases]) ?? [];
    if (alias === undefined || key === undefined) return undefined;
    invokeAsRoot('DeleteAlias', { AliasName: alias });
    aliases.delete(alias);
    return { keyId: key.id, alias };
  },
  RotateKeyOnDemand: onKey((key) => enabled(key) && key.onDemandRotations < 25, (key) => {
    invokeAsRoot('RotateKeyOnDemand', { KeyId: key.id });
    key.onDemandRotations += 1;
    return { keyId: key.id };
  }),
  TagResource: onKey(manageable, (key, mark) => {
    const tagKey = `t${String(random(5))}`;
    invokeAsRoot('TagResource', { KeyId: key.id, Tags: [{ TagKey: tagKey, TagValue: mark }] });
    key.tags.add(tagKey);
    return { keyId: key.id, tagKey, tagValue: mark };
  }),
  UntagResource: onKey((key) => manageable(key) && key.tags.size > 0, (key) => {
    const tagKey = pick([...key.tags]) ?? '';
    invokeAsRoot('UntagResource', { KeyId: key.id, TagKeys: [tagKey] });
    key.tags.delete(tagKey);
    return { keyId: key.id, tagKey };
  }),
  UpdateKeyDescription: onKey(manageable, (key, mark) => {
    const description = `updated ${mark}`;
    invokeAsRoot('UpdateKeyDescription', { KeyId: key.id, Description: description });
    return { keyId: key.id, description };
  }),
  EnableKey: setState('EnableKey', ['Disabled'], 'Enabled'),
  DisableKey: setState('DisableKey', ['Enabled'], 'Disabled'),
  ScheduleKeyDeletion: setState('ScheduleKeyDeletion', ['Enabled', 'Disabled'], 'PendingDeletion'),
  CancelKeyDeletion: setState('CancelKeyDeletion', ['PendingDeletion'], 'Disabled'),
  EnableKeyRotation: setRotation('EnableKeyRotation', true),
  DisableKeyRotation: setRotation('DisableKeyRotation', false),
  Encrypt: onKey(enabled, (key, mark) => {
    const { CiphertextBlob } = invokeAsRoot('Encrypt', { KeyId: key.id, Plaintext: Buffer.from(mark).toString('base64') }) as { CiphertextBlob: string };
    return { keyId: key.id, ciphertext: CiphertextBlob, plaintext: mark };
  }),
};

const names = Object.keys(OPERATIONS);
for (let step = 0; ; step += 1) {
  const op = keys.length === 0 ? 'CreateKey' : (pick(names) ?? 'CreateKey');
  const ack = OPERATIONS[op]?.(`${seedText}/${String(step)}`);
  if (ack !== undefined) process.stdout.write(`${JSON.stringify({ op, step, ...ack })}\n`);
}
