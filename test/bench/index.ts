// npm run bench: each figure next to the raw primitive it is built on, measured in the same run.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initVault } from '../../src-main/kms/lifecycle/init';
import { accountRoot, openVault } from '../../src-main/bootstrap';
import { invoke } from '../../src-main/kms/pipeline/invoke';
import type { OperationName } from '../../src-shared/kms/shapes.generated';
import { createKeyRecord } from '../../src-main/kms/engine/keyMaterial';
import { supportedKeySpec } from '../../src-main/kms/keySpecs';
import { keyPage } from '../../src-main/kms/engine/keyPage';
import { benchAsymmetric } from './asymmetric';
import { benchAuditFilters } from './audit';
import { benchCliStart } from './cli';
import { benchFiles } from './files';
import { compare, sustainedOpsPerSecond } from './measure';
import { benchEncryptUnderPolicy, benchPolicyEvaluation } from './policy';

const PIN = 'granite-otter-velvet-lamp-71';
/** The speed aim for Encrypt, Decrypt and GenerateDataKey of 32 bytes with the audit log on. */
const AIM = { maxCost: 2.5, minSustained: 50_000 };
const dir = mkdtempSync(join(tmpdir(), 'strongroom-bench-'));
const big = process.argv.includes('--quick') ? 10_000 : 100_000;

/** Raw AES-256-GCM as Encrypt uses it: a fresh random IV from node:crypto and one createCipheriv per message. */
function rawGcm(key: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** Raw AES-256-GCM decryption of what rawGcm made: one createDecipheriv per message. */
function rawOpen(key: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
}

function timeMs(fn: () => unknown, runs: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i += 1) fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / runs;
}

/** Runs every benchmark in turn, then removes what they made. */
async function main(): Promise<void> {
  try {
    const home = join(dir, 'vault');
    initVault({ home, pin: PIN, rootOfTrust: 'aes' });
    const vault = openVault(home, 'cli');
    vault.unlock(PIN);
    const caller = accountRoot(vault, 'cli');
    const kms = (name: OperationName, request: unknown): unknown => invoke(vault, caller, name, request);
    console.log('Strongroom benchmarks, in process, audit on (ratios matter; absolute numbers depend on the machine)\n');

    const payload = randomBytes(32);
    const key = randomBytes(32);
    const raw = () => rawGcm(key, payload);
    const sealed = rawGcm(key, payload);
    const keyId = (kms('CreateKey', {}) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
    const request = { KeyId: keyId, Plaintext: payload.toString('base64') };
    const { CiphertextBlob } = kms('Encrypt', request) as { CiphertextBlob: string };
    const settle = () => {
      vault.audit.flush();
    };
    /** The calls the speed aim is for, each with the raw primitives it is compared with. */
    const dataPlane = [
      { name: 'Encrypt', label: 'Encrypt 32 B', call: () => kms('Encrypt', request), raws: { createCipheriv: raw } },
      { name: 'Decrypt', label: 'Decrypt 32 B', call: () => kms('Decrypt', { CiphertextBlob }), raws: { createDecipheriv: () => rawOpen(key, sealed), createCipheriv: raw } },
      { name: 'GenerateDataKey', label: 'GenerateDataKey AES_256', call: () => kms('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' }), raws: { createCipheriv: raw } },
    ];
    const costs = dataPlane.map(({ label, call, raws }) => compare(label, call, raws, { settle }).get('createCipheriv') ?? Infinity);
    const rawRandom = () => vault.use(({ session }) => session.call('bench', (lib, h) => lib.C_GenerateRandom(h, Buffer.alloc(32))));
    compare('GenerateRandom 32 B', () => kms('GenerateRandom', { NumberOfBytes: 32 }), { C_GenerateRandom: rawRandom }, { settle });
    compare('CreateKey', () => kms('CreateKey', {}), { createCipheriv: raw }, { ms: 200 });

    const seconds = process.argv.includes('--quick') ? 1 : 3;
    console.log(`\nSustained for ${String(seconds)} s, until every audit record is committed (best of 3):`);
    const rates = dataPlane.map(({ name, call }) => {
      const runs = [1, 2, 3].map(() => sustainedOpsPerSecond(call, settle, seconds * 1000));
      const best = runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
      const caller = best.callerMicros === undefined ? '' : `, ${best.callerMicros.toFixed(1)} on the calling thread`;
      console.log(`${name.padEnd(26)} ${best.perSecond.toFixed(0).padStart(8)} ops/s   CPU per call: ${best.cpuMicros.toFixed(1)} µs in all${caller}`);
      return best.perSecond;
    });
    const short = [
      ...costs.flatMap((cost, i) => (cost <= AIM.maxCost ? [] : [`${dataPlane[i]?.name ?? ''} costs ${cost.toFixed(2)}x`])),
      ...rates.flatMap((rate, i) => (rate >= AIM.minSustained ? [] : [`${dataPlane[i]?.name ?? ''} sustains ${rate.toFixed(0)}/s`])),
    ];
    const verdict = short.length === 0 ? 'met' : `not met (${short.join('; ')})`;
    console.log(`Aim: each of these costs at most ${String(AIM.maxCost)}x createCipheriv and sustains ${AIM.minSustained.toLocaleString('en')} calls/s: ${verdict} in this run.`);

    benchPolicyEvaluation();
    benchEncryptUnderPolicy(kms, settle, vault.record.accountId);
    benchAsymmetric(kms, settle, (use) => vault.use(({ session }) => use(session)), `pkcs11:serial=${vault.record.tokenSerial}`);

    const symmetric = supportedKeySpec('SYMMETRIC_DEFAULT');
    const existing = vault.store.keys.count();
    const fill = vault.store.db.transaction(() => {
      for (let i = existing; i < big; i += 1) createKeyRecord(vault, { spec: symmetric, usage: 'ENCRYPT_DECRYPT', description: `bulk ${String(i)}`, keyManager: 'CUSTOMER' });
    });
    fill();
    vault.audit.flush();
    const sampleIds = (kms('ListKeys', { Limit: 1000 }) as { Keys: { KeyId: string }[] }).Keys.map((k) => k.KeyId);
    let n = 0;
    const describe = timeMs(() => kms('DescribeKey', { KeyId: sampleIds[(n += 1) % sampleIds.length] }), 2000);
    const list100 = timeMs(() => kms('ListKeys', { Limit: 100 }), 200);
    let marker: string | undefined;
    let pages = 0;
    const start = process.hrtime.bigint();
    do {
      const page = kms('ListKeys', { Limit: 1000, ...(marker ? { Marker: marker } : {}) }) as { NextMarker?: string; Truncated: boolean };
      marker = page.Truncated ? page.NextMarker : undefined;
      pages += 1;
    } while (marker !== undefined);
    const walk = Number(process.hrtime.bigint() - start) / 1e6;
    const listPage = timeMs(() => keyPage(vault.store, {}, 50), 200);
    const filtered = timeMs(() => keyPage(vault.store, { text: 'bulk 99' }, 50), 20);
    for (let i = 0; i < 1000; i += 1) kms('CreateAlias', { AliasName: `alias/bulk/${String(i)}`, TargetKeyId: sampleIds[i] });
    /** A page of 50 in each sort: the first, and one 10,000 keys in (reached by its marker). */
    const sorted = (['alias', 'description', 'state'] as const).map((sortBy) => {
      const query = { sortBy, descending: true };
      let deep: string | undefined;
      for (let i = 0; i < 10 && (i === 0 || deep !== undefined); i += 1) deep = keyPage(vault.store, query, 1000, deep).nextMarker;
      return { sortBy, first: timeMs(() => keyPage(vault.store, query, 50), 50), deep: timeMs(() => keyPage(vault.store, query, 50, deep), 50) };
    });
    console.log(`\nWith ${String(vault.store.keys.count())} keys in the vault:`);
    console.log(`Interface key list, page of 50       ${(listPage * 1000).toFixed(1)} µs`);
    console.log(`Interface key list, text filter      ${filtered.toFixed(1)} ms`);
    for (const { sortBy, first, deep } of sorted) {
      console.log(`Interface key list by ${sortBy.padEnd(12)}  ${(first * 1000).toFixed(1)} µs first page, ${(deep * 1000).toFixed(1)} µs 10,000 keys in`);
    }
    console.log(`DescribeKey                        ${(describe * 1000).toFixed(1)} µs per call`);
    console.log(`ListKeys (Limit 100)               ${(list100 * 1000).toFixed(1)} µs per page`);
    console.log(`ListKeys, every page of 1000       ${walk.toFixed(0)} ms for ${String(pages)} pages`);
    benchAuditFilters(vault, caller, process.argv.includes('--quick') ? 20_000 : 200_000);
    vault.close();

    benchCliStart(dir, PIN, process.argv.includes('--quick') ? 10 : 30);
    await benchFiles(dir, { ...process.env, STRONGROOM_HOME: home, STRONGROOM_PIN: PIN }, keyId, process.argv.includes('--quick') ? 100 : 1024);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
