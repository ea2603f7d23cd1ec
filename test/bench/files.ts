// Files encrypted to share, next to copying the same file with cp, and to age and the AWS Encryption SDK for JavaScript, in the same run.
import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/client-node';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** How much slower than cp encrypting or decrypting a file may be. */
const AIM = 1.3;

/** Milliseconds `run` takes. */
async function timed(run: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs a command, failing loudly. */
function sh(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const run = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr.toString()}`);
}

const has = (command: string): boolean => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;

/** A file of `mib` MiB of random bytes. */
function makeFile(path: string, mib: number): void {
  const fd = openSync(path, 'w');
  const chunk = randomBytes(1024 * 1024);
  for (let i = 0; i < mib; i += 1) writeSync(fd, chunk);
  closeSync(fd);
}

/**
 * `strongroom file encrypt` and `decrypt` of one file (the CLI, as people run
 * it: opening and unlocking the vault included) next to `cp` of the same
 * file, and to `age` and the Encryption SDK's streaming encrypt and decrypt
 * (raw AES keyring, the same committing suite) where they are installed.
 */
export async function benchFiles(dir: string, env: NodeJS.ProcessEnv, keyId: string, mib: number): Promise<void> {
  const bin = join(__dirname, '..', '..', 'bin', 'strongroom.cjs');
  const plain = join(dir, 'plain.bin');
  makeFile(plain, mib);
  const out = (name: string): string => join(dir, name);
  const rows: [string, number][] = [];
  const cp = await timed(() => {
    sh('cp', [plain, out('copy.bin')]);
  });
  rows.push(['strongroom file encrypt', await timed(() => { sh(process.execPath, [bin, 'file', 'encrypt', plain, '--recipient', keyId, '-o', out('plain.enc')], env); })]);
  rows.push(['strongroom file decrypt', await timed(() => { sh(process.execPath, [bin, 'file', 'decrypt', out('plain.enc'), '-o', out('back.bin')], env); })]);
  if (has('age') && has('age-keygen')) {
    sh('age-keygen', ['-o', out('age.key')]);
    const recipient = spawnSync('age-keygen', ['-y', out('age.key')]).stdout.toString().trim();
    rows.push(['age -e', await timed(() => { sh('age', ['-r', recipient, '-o', out('plain.age'), plain]); })]);
    rows.push(['age -d', await timed(() => { sh('age', ['-d', '-i', out('age.key'), '-o', out('age.bin'), out('plain.age')]); })]);
  }
  const sdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  const keyring = new RawAesKeyringNode({ keyName: 'bench', keyNamespace: 'bench', unencryptedMasterKey: randomBytes(32), wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING });
  rows.push(['Encryption SDK encryptStream', await timed(() => pipeline(createReadStream(plain), sdk.encryptStream(keyring, { suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY, frameLength: 65536 }), createWriteStream(out('plain.esdk'))))]);
  rows.push(['Encryption SDK decryptStream', await timed(() => pipeline(createReadStream(out('plain.esdk')), sdk.decryptUnsignedMessageStream(keyring), createWriteStream(out('esdk.bin'))))]);
  console.log(`\nA ${String(mib)} MiB file, against cp of it in the same run (${cp.toFixed(0)} ms):`);
  for (const [label, ms] of rows) console.log(`${label.padEnd(30)} ${ms.toFixed(0).padStart(7)} ms   ${(ms / cp).toFixed(2)}x cp`);
  const ours = rows.slice(0, 2).map(([, ms]) => ms / cp);
  console.log(`Aim: at most ${String(AIM)}x cp: ${ours.every((ratio) => ratio <= AIM) ? 'met' : 'not met'} in this run.`);
  for (const name of ['plain.bin', 'copy.bin', 'plain.enc', 'back.bin', 'age.key', 'plain.age', 'age.bin', 'plain.esdk', 'esdk.bin']) rmSync(out(name), { force: true });
}
