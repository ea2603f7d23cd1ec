// The test command: runs every test runner (vitest, then Playwright), then prints one line with their sums,
// `N passed, N failed, N skipped`, last. Exits non-zero if any runner failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Vitest: unit and integration tests. */
function vitest() {
  const report = join(root, '.vitest-results.json');
  rmSync(report, { force: true });
  const run = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], { cwd: root, stdio: 'inherit' });
  if (!existsSync(report)) return { name: 'vitest', passed: 0, failed: 1, skipped: 0, ok: false };
  const r = JSON.parse(readFileSync(report, 'utf8'));
  rmSync(report, { force: true });
  const skipped = r.numPendingTests + r.numTodoTests;
  // A file that fails to load counts as a failure even when it reported no test.
  const failedFiles = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  return { name: 'vitest', passed: r.numPassedTests, failed: r.numFailedTests + failedFiles, skipped, ok: run.status === 0 };
}

/** Playwright: the interface in Debian's Chromium through the browser host (built first). */
function playwright() {
  const report = join(root, '.playwright-results.json');
  rmSync(report, { force: true });
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) return { name: 'playwright', passed: 0, failed: 1, skipped: 0, ok: false };
  const run = spawnSync(bin('playwright'), ['test'], { cwd: root, stdio: 'inherit' });
  if (!existsSync(report)) return { name: 'playwright', passed: 0, failed: 1, skipped: 0, ok: false };
  const { stats } = JSON.parse(readFileSync(report, 'utf8'));
  rmSync(report, { force: true });
  return { name: 'playwright', passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped, ok: run.status === 0 };
}

const results = [vitest(), playwright()];
const sum = (key) => results.reduce((n, r) => n + r[key], 0);
for (const r of results) console.log(`${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
console.log(`${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
process.exit(results.every((r) => r.ok) && sum('failed') === 0 ? 0 : 1);
