// The browser host in a process of its own, as "strongroom ui --no-open" runs it, serving a stand-in page.
// Usage: node --import tsx test/helpers/hostHolder.ts <home>
// Prints "ready <address>" when it listens; closes the vault and exits on SIGTERM.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserHost } from '../../src-main/host/server';
import { AppCore } from '../../src-main/ipc/appCore';

const [home] = process.argv.slice(2);
if (home === undefined) throw new Error('usage: hostHolder.ts <home>');
const renderer = mkdtempSync(join(tmpdir(), 'strongroom-page-'));
writeFileSync(join(renderer, 'index.html'), '<!doctype html><html><head><title>Strongroom</title></head></html>');
const core = new AppCore(home, 'host', { fileWorker: join(__dirname, '..', '..', 'out', 'cli', 'fileWorker.js') }); // the worker as the command line ships it (npm test builds it first)
void startBrowserHost(core, renderer).then((host) => {
  process.stdout.write(`ready ${host.url}\n`);
  const keepAlive = setInterval(() => undefined, 1000);
  process.on('SIGTERM', () => {
    clearInterval(keepAlive);
    core.close();
    rmSync(renderer, { recursive: true, force: true });
    void host.close();
  });
});
