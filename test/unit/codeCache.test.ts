import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp';

const LOADER = join(__dirname, '..', '..', 'bin', 'codeCache.cjs');

/** Runs `file` through the CLI's loader, as bin/strongroom.cjs does, and returns what it printed. */
function run(file: string): string {
  return execFileSync(process.execPath, ['-e', `require(${JSON.stringify(LOADER)}).runWithCodeCache(${JSON.stringify(file)})`], { encoding: 'utf8' });
}

describe("the CLI's code cache", () => {
  it('runs a bundle as require() would, with its own directory, require and module', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'helper.cjs'), 'module.exports = "helper";');
    const bundle = join(dir, 'bundle.cjs');
    writeFileSync(bundle, 'process.stdout.write([__dirname, __filename, require("./helper.cjs"), typeof module.exports].join("|"));');
    expect(run(bundle)).toBe([dir, bundle, 'helper', 'object'].join('|'));
  });

  it('is kept beside the bundle, and never used for a changed bundle, even one of the same length', () => {
    const dir = tempDir();
    const bundle = join(dir, 'bundle.cjs');
    const cache = `${bundle}.cache`;
    writeFileSync(bundle, 'function say() { return "first"; } process.stdout.write(say());');
    expect(run(bundle)).toBe('first');
    expect(existsSync(cache)).toBe(true);
    const made = readFileSync(cache);
    expect(run(bundle)).toBe('first');
    expect(readFileSync(cache).equals(made)).toBe(true); // used, not rewritten

    writeFileSync(bundle, 'function say() { return "other"; } process.stdout.write(say());'); // V8 alone would take the old cache: it checks only the length
    expect(run(bundle)).toBe('other');
    expect(readFileSync(cache).equals(made)).toBe(false);
    expect(run(bundle)).toBe('other');
  });
});
