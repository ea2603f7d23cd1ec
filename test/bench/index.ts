// npm run bench: each figure next to the raw primitive it is built on, measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initVault } from '../../src-main/kms/lifecycle/init';
import { Vault } from '../../src-main/kms/lifecycle/vault';
import { invoke } from '../../src-main/kms/operations';
import { opsPerSecond, report } from './measure';

const PIN = '123456';
const dir = mkdtempSync(join(tmpdir(), 'strongroom-bench-'));
try {
  const home = join(dir, 'vault');
  initVault({ home, pin: PIN, rootOfTrust: 'aes' });
  const vault = Vault.open(home);
  vault.unlock(PIN);

  console.log('Strongroom benchmarks (ratios matter; absolute numbers depend on the machine)\n');
  const raw32 = opsPerSecond(() => vault.use(({ session }) => session.call('bench', (lib, h) => lib.C_GenerateRandom(h, Buffer.alloc(32)))));
  const kms32 = opsPerSecond(() => invoke(vault, 'GenerateRandom', { NumberOfBytes: 32 }));
  report('GenerateRandom 32 B', kms32, 'C_GenerateRandom', raw32);

  const rawUnlock = opsPerSecond(() => {
    vault.use(({ session }) => { session.call('bench', (lib, h) => {
      lib.C_Logout(h);
      lib.C_Login(h, 1, PIN);
    }); });
  }, 500);
  const unlock = opsPerSecond(() => {
    vault.lock();
    vault.unlock(PIN);
  }, 500);
  report('lock + unlock', unlock, 'C_Logout+C_Login', rawUnlock);
  vault.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
