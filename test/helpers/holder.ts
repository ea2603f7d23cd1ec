// A long-running process that holds a vault open, as the desktop app does.
// Usage: node --import tsx test/helpers/holder.ts <home> [pin]
// Prints "ready <state>" when it holds the vault, "locked <reason>" when it locks, and exits on SIGTERM.
// With START_AT (epoch milliseconds) in the environment, it opens the vault at that moment, to race others.
// With HOLDER_KIND (cli, app or host) it says in the lock file that it is that kind of holder; it never takes calls on a channel.
import { listenForLockRequests, openVault } from '../../src-main/bootstrap';
import { declareHolderKind, type HolderKind } from '../../src-main/vault/ownerLock';

const [home, pin] = process.argv.slice(2);
if (home === undefined) throw new Error('usage: holder.ts <home> [pin]');
const startAt = Number(process.env.START_AT ?? 0);
while (Date.now() < startAt) {
  // wait for the agreed moment
}
if (process.env.HOLDER_KIND !== undefined) declareHolderKind(process.env.HOLDER_KIND as HolderKind);
const vault = openVault(home, 'app');
const stop = listenForLockRequests(vault);
vault.onLock((reason) => process.stdout.write(`locked ${reason}\n`));
if (pin !== undefined) vault.unlock(pin);
process.stdout.write(`ready ${vault.isUnlocked ? 'unlocked' : 'locked'}\n`);
const keepAlive = setInterval(() => undefined, 1000);
process.on('SIGTERM', () => {
  clearInterval(keepAlive);
  stop();
  vault.close();
});
